// Rollout metrics: hand-computed values, single Fourier modes whose energy and shell are known in
// closed form, and Parseval against a direct DFT and against velocities evaluated analytically.
#include "core/error.hpp"
#include "core/rng.hpp"
#include "eval/field_metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <limits>
#include <numeric>
#include <vector>

namespace {

using pf::Index;
constexpr double kPi = 3.14159265358979323846;

// Samples f(x, y) at x_i = i·lx/nx, y_j = j·ly/ny into [nx, ny] row-major fp32.
template <class F>
std::vector<float> sample(Index nx, Index ny, double lx, double ly, F f) {
  std::vector<float> out(nx * ny);
  for (Index i = 0; i < nx; ++i)
    for (Index j = 0; j < ny; ++j)
      out[i * ny + j] = static_cast<float>(f(lx * i / nx, ly * j / ny));
  return out;
}

double total(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0);
}

TEST(FieldMetrics, RelativeL2ByHand) {
  const std::vector<float> pred = {1, 2, 3}, truth = {1, 2, 2};
  // ||(0, 0, 1)|| / ||(1, 2, 2)|| = 1/3; small integers, so exact up to the final division.
  EXPECT_DOUBLE_EQ(pf::eval::relative_l2(pred.data(), truth.data(), 3), 1.0 / 3.0);
  EXPECT_EQ(pf::eval::relative_l2(truth.data(), truth.data(), 3), 0.0);
  const std::vector<float> zero(3, 0.0f);
  EXPECT_EQ(pf::eval::relative_l2(zero.data(), zero.data(), 3), 0.0);
  EXPECT_TRUE(std::isinf(pf::eval::relative_l2(pred.data(), zero.data(), 3)));
  EXPECT_THROW(pf::eval::relative_l2(pred.data(), truth.data(), 0), pf::ShapeError);
}

TEST(FieldMetrics, CorrelationOfAFieldWithItselfAndItsNegative) {
  const Index n = 32;
  const auto w = sample(n, n, 2 * kPi, 2 * kPi,
                        [](double x, double y) { return std::sin(x) * std::cos(2 * y) + 0.3; });
  std::vector<float> negative(w.size()), scaled(w.size());
  for (size_t i = 0; i < w.size(); ++i) {
    negative[i] = -w[i];
    scaled[i] = 2.5f * w[i];
  }
  // fp64 accumulation of 1024 products: round-off ~1e-15.
  EXPECT_NEAR(pf::eval::correlation(w.data(), w.data(), w.size()), 1.0, 1e-14);
  EXPECT_NEAR(pf::eval::correlation(negative.data(), w.data(), w.size()), -1.0, 1e-14);
  EXPECT_NEAR(pf::eval::correlation(scaled.data(), w.data(), w.size()), 1.0,
              1e-6);  // 2.5f·w rounds
}

TEST(FieldMetrics, CorrelationKeepsTheMean) {
  // Kochkov et al.'s definition removes no mean: (1, 1) and (1, 2) give 3 / (√2·√5), whereas the
  // Pearson coefficient of a constant would be undefined.
  const std::vector<float> a = {1, 1}, b = {1, 2};
  EXPECT_DOUBLE_EQ(pf::eval::correlation(a.data(), b.data(), 2), 3.0 / std::sqrt(10.0));
  // cos and sin are orthogonal on a full period: |<cos, sin>| is fp32 sampling round-off.
  const Index n = 64;
  const auto c = sample(n, 1, 2 * kPi, 1, [](double x, double) { return std::cos(x); });
  const auto s = sample(n, 1, 2 * kPi, 1, [](double x, double) { return std::sin(x); });
  EXPECT_NEAR(pf::eval::correlation(c.data(), s.data(), n), 0.0, 1e-7);
  const std::vector<float> zero(2, 0.0f);
  EXPECT_EQ(pf::eval::correlation(zero.data(), b.data(), 2), 0.0);
}

// ω = a·cos(k·x) has velocity amplitude a/|k|, so ½⟨|u|²⟩ = a²/(4|k|²), all in shell round(|k|).
struct ModeCase {
  Index nx, ny;
  int mx, my;
  Index shell;  // 1-based wavenumber of the shell
};

TEST(FieldMetrics, SingleModeLandsInItsShellWithItsEnergy) {
  const std::vector<ModeCase> cases = {
      {64, 64, 3, 0, 3},   // ω = cos 3x: E(3) = 1/36
      {64, 64, 0, 3, 3},   // the same along y (the r2c half axis)
      {64, 64, 3, 4, 5},   // |k| = 5: E(5) = 1/100
      {63, 45, 2, 5, 5},   // odd sizes, |k| = √29 ≈ 5.39 → shell 5
      {48, 40, -7, 3, 8},  // negative kx, |k| = √58 ≈ 7.62 → shell 8
  };
  for (const ModeCase& c : cases) {
    const auto w = sample(c.nx, c.ny, 2 * kPi, 2 * kPi,
                          [&](double x, double y) { return 2.0 * std::cos(c.mx * x + c.my * y); });
    const auto spectrum = pf::eval::energy_spectrum_2d(w.data(), c.nx, c.ny, 2 * kPi, 2 * kPi);
    const double k2 = c.mx * c.mx + c.my * c.my;
    const double expected = 4.0 / (4.0 * k2);
    ASSERT_GE(spectrum.energy.size(), static_cast<size_t>(c.shell));
    for (size_t s = 0; s < spectrum.energy.size(); ++s) {
      EXPECT_DOUBLE_EQ(spectrum.k[s], static_cast<double>(s + 1));
      // fp32 samples: relative error ~1e-7 in the mode; leakage elsewhere ~(1e-7)² of it.
      if (static_cast<Index>(s + 1) == c.shell) {
        EXPECT_NEAR(spectrum.energy[s], expected, 1e-6 * expected) << c.mx << "," << c.my;
      } else {
        EXPECT_LT(spectrum.energy[s], 1e-12 * expected) << "shell " << s + 1;
      }
    }
  }
}

TEST(FieldMetrics, ShellWidthFollowsTheLongerSide) {
  // [0, 2π) × [0, 4π): dk = 1/2. ω = cos(1.5 y) (mode 3 along y) has u = −sin(1.5 y)/1.5, so
  // ½⟨u²⟩ = 1/(4·2.25) = 1/9, in the shell centred at k = 1.5.
  const double lx = 2 * kPi, ly = 4 * kPi;
  const auto w = sample(16, 32, lx, ly, [](double, double y) { return std::cos(1.5 * y); });
  const auto spectrum = pf::eval::energy_spectrum_2d(w.data(), 16, 32, lx, ly);
  EXPECT_DOUBLE_EQ(spectrum.k[0], 0.5);
  EXPECT_DOUBLE_EQ(spectrum.k[2], 1.5);
  EXPECT_NEAR(spectrum.energy[2], 1.0 / 9.0, 1e-6 / 9.0);  // fp32 samples
  EXPECT_NEAR(total(spectrum.energy), 1.0 / 9.0, 1e-6 / 9.0);
}

TEST(FieldMetrics, ParsevalAgainstADirectDft) {
  // White noise (every mode, Nyquist included, odd and even sizes): the shells must add up to
  // Σ_{k≠0} |ω̂|²/(2N²|k|²) with ω̂ from an O(N²) DFT written out here.
  pf::Rng rng(17);
  for (const auto& [nx, ny] : std::vector<std::pair<Index, Index>>{{16, 12}, {15, 9}, {8, 11}}) {
    const double lx = 1.0, ly = 2.5;
    std::vector<float> w(nx * ny);
    for (float& v : w)
      v = static_cast<float>(rng.normal());
    double expected = 0.0;
    for (Index p = 0; p < nx; ++p) {
      for (Index q = 0; q < ny; ++q) {
        if (p == 0 && q == 0) continue;
        std::complex<double> w_hat = 0.0;
        for (Index i = 0; i < nx; ++i)
          for (Index j = 0; j < ny; ++j)
            w_hat += static_cast<double>(w[i * ny + j]) *
                     std::polar(1.0, -2 * kPi * (double(p * i) / nx + double(q * j) / ny));
        const double kx = 2 * kPi / lx * (p <= nx / 2 ? p : p - nx);
        const double ky = 2 * kPi / ly * (q <= ny / 2 ? q : q - ny);
        expected += std::norm(w_hat) / (2.0 * nx * nx * ny * ny * (kx * kx + ky * ky));
      }
    }
    const auto spectrum = pf::eval::energy_spectrum_2d(w.data(), nx, ny, lx, ly);
    // Both sides are fp64 sums of the same fp32 inputs in different orders: ~1e-13 relative.
    EXPECT_NEAR(total(spectrum.energy), expected, 1e-12 * expected) << nx << "x" << ny;
  }
}

TEST(FieldMetrics, ParsevalAgainstAnalyticVelocity) {
  // ω = Σ a_m cos(k_m·x + φ_m) with random modes below Nyquist; ψ = Σ a_m/|k_m|² cos(...), so
  // u = ∂ψ/∂y and v = −∂ψ/∂x are known pointwise, and Σ E(k) must equal ½⟨u² + v²⟩.
  pf::Rng rng(5);
  const Index nx = 48, ny = 40;
  const double lx = 1.0, ly = 2.5;
  struct Mode {
    double kx, ky, a, phase;
  };
  std::vector<Mode> modes;
  for (int m = 0; m < 40; ++m) {
    const int px = static_cast<int>(rng.below(47)) - 23;  // |px| < nx/2
    const int py = static_cast<int>(rng.below(20));       // 0 <= py < ny/2
    if (px == 0 && py == 0) continue;
    modes.push_back({2 * kPi / lx * px, 2 * kPi / ly * py, rng.normal(), 2 * kPi * rng.uniform()});
  }
  double kinetic = 0.0;
  std::vector<float> w(nx * ny);
  for (Index i = 0; i < nx; ++i) {
    for (Index j = 0; j < ny; ++j) {
      const double x = lx * i / nx, y = ly * j / ny;
      double omega = 0.0, u = 0.0, v = 0.0;
      for (const Mode& m : modes) {
        const double k2 = m.kx * m.kx + m.ky * m.ky, arg = m.kx * x + m.ky * y + m.phase;
        omega += m.a * std::cos(arg);
        u += -m.a * m.ky / k2 * std::sin(arg);
        v += m.a * m.kx / k2 * std::sin(arg);
      }
      w[i * ny + j] = static_cast<float>(omega);
      kinetic += 0.5 * (u * u + v * v) / static_cast<double>(nx * ny);
    }
  }
  const auto spectrum = pf::eval::energy_spectrum_2d(w.data(), nx, ny, lx, ly);
  // The spectrum sees ω rounded to fp32 (relative 6e-8 per value): 1e-6 relative is ample.
  EXPECT_NEAR(total(spectrum.energy), kinetic, 1e-6 * kinetic);
}

TEST(FieldMetrics, SpectrumLogErrorCountsDecadesBetweenOneAndKMax) {
  pf::eval::Spectrum truth{{1, 2, 3, 4, 5}, {1.0, 0.5, 0.25, 0.125, 0.0625}};
  pf::eval::Spectrum pred = truth;
  EXPECT_EQ(pf::eval::spectrum_log_error(pred, truth, 5.0), 0.0);
  for (double& e : pred.energy)
    e *= 10.0;
  pred.energy[4] = 1e9;  // beyond k_max = 4: ignored
  pred.energy[1] = 0.0;  // not comparable on a log scale: skipped
  EXPECT_NEAR(pf::eval::spectrum_log_error(pred, truth, 4.0), 1.0, 1e-15);
  EXPECT_TRUE(std::isnan(pf::eval::spectrum_log_error(pred, truth, 0.5)));
  pf::eval::Spectrum other{{0.5, 1.0}, {1.0, 1.0}};
  EXPECT_THROW(pf::eval::spectrum_log_error(other, truth, 4.0), pf::ShapeError);
}

TEST(FieldMetrics, StepsAboveStopsAtTheFirstDrop) {
  EXPECT_EQ(pf::eval::steps_above({0.99, 0.95, 0.85, 0.79, 0.9}, 0.8), 3);
  EXPECT_EQ(pf::eval::steps_above({0.99, 0.95}, 0.8), 2);
  EXPECT_EQ(pf::eval::steps_above({}, 0.8), 0);
  EXPECT_EQ(pf::eval::steps_above({0.9, std::numeric_limits<double>::quiet_NaN(), 0.9}, 0.8), 1);
  EXPECT_EQ(pf::eval::steps_above({0.8}, 0.8), 1);  // "drops below": equal still counts
}

}  // namespace
