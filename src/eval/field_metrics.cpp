#include "eval/field_metrics.hpp"

#include "core/error.hpp"

#include <fftw3.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <complex>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <string>

namespace pf::eval {

namespace {

constexpr double kPi = 3.14159265358979323846;

void check_frame(const char* what, const float* pred, const float* truth, Index n) {
  if (n < 1) {
    throw ShapeError(std::string(what) + ": " + std::to_string(n) + " values, expected at least 1");
  }
  if (pred == nullptr || truth == nullptr) {
    throw std::invalid_argument(std::string(what) + ": null field pointer");
  }
}

// FFTW's planner is not thread-safe; execution is.
std::mutex& fftw_planner_mutex() {
  static std::mutex mutex;
  return mutex;
}

// ω (nx × ny, real) -> ω̂ (nx × (ny/2 + 1), the r2c half spectrum along y), unnormalised.
std::vector<std::complex<double>> forward_fft(const float* field, Index nx, Index ny) {
  std::vector<double> in(field, field + nx * ny);
  std::vector<std::complex<double>> out(nx * (ny / 2 + 1));
  fftw_plan plan;
  {
    std::lock_guard<std::mutex> lock(fftw_planner_mutex());
    // FFTW_ESTIMATE: no trial runs that would overwrite `in`, and planning costs nothing
    // against one transform per frame.
    plan = fftw_plan_dft_r2c_2d(static_cast<int>(nx), static_cast<int>(ny), in.data(),
                                reinterpret_cast<fftw_complex*>(out.data()), FFTW_ESTIMATE);
  }
  if (plan == nullptr) throw std::runtime_error("energy_spectrum_2d: FFTW could not plan");
  fftw_execute(plan);
  {
    std::lock_guard<std::mutex> lock(fftw_planner_mutex());
    fftw_destroy_plan(plan);
  }
  return out;
}

}  // namespace

double relative_l2(const float* pred, const float* truth, Index n) {
  check_frame("relative_l2", pred, truth, n);
  double diff2 = 0.0, truth2 = 0.0;
  for (Index i = 0; i < n; ++i) {
    const double d = static_cast<double>(pred[i]) - static_cast<double>(truth[i]);
    diff2 += d * d;
    truth2 += static_cast<double>(truth[i]) * truth[i];
  }
  if (truth2 == 0.0) return diff2 == 0.0 ? 0.0 : std::numeric_limits<double>::infinity();
  return std::sqrt(diff2 / truth2);
}

double correlation(const float* pred, const float* truth, Index n) {
  check_frame("correlation", pred, truth, n);
  double dot = 0.0, pred2 = 0.0, truth2 = 0.0;
  for (Index i = 0; i < n; ++i) {
    const double p = pred[i], t = truth[i];
    dot += p * t;
    pred2 += p * p;
    truth2 += t * t;
  }
  if (pred2 == 0.0 || truth2 == 0.0) return 0.0;
  return dot / (std::sqrt(pred2) * std::sqrt(truth2));
}

Spectrum energy_spectrum_2d(const float* vorticity, Index nx, Index ny, double lx, double ly) {
  if (nx < 1 || ny < 1 || nx > INT_MAX || ny > INT_MAX) {
    throw ShapeError("energy_spectrum_2d: grid " + std::to_string(nx) + " x " + std::to_string(ny) +
                     ", expected 1 to " + std::to_string(INT_MAX) + " points per axis");
  }
  if (!(lx > 0.0) || !(ly > 0.0)) {
    throw std::invalid_argument("energy_spectrum_2d: domain " + std::to_string(lx) + " x " +
                                std::to_string(ly) + ", expected positive lengths");
  }
  if (vorticity == nullptr) throw std::invalid_argument("energy_spectrum_2d: null field pointer");

  const std::vector<std::complex<double>> w_hat = forward_fft(vorticity, nx, ny);
  const Index nyc = ny / 2 + 1;
  const double n_points = static_cast<double>(nx) * static_cast<double>(ny);
  const double scale = 1.0 / (2.0 * n_points * n_points);
  const double dk = 2.0 * kPi / std::max(lx, ly);

  Spectrum spectrum;
  for (Index i = 0; i < nx; ++i) {
    const double kx = 2.0 * kPi / lx * static_cast<double>(i <= nx / 2 ? i : i - nx);
    for (Index j = 0; j < nyc; ++j) {
      if (i == 0 && j == 0) continue;
      const double ky = 2.0 * kPi / ly * static_cast<double>(j);
      // The half spectrum stores one of each conjugate pair (k, −k), except at ky = 0 and the
      // even-ny Nyquist column, where both members are stored.
      const bool self_conjugate_column = j == 0 || (ny % 2 == 0 && j == ny / 2);
      const double weight = self_conjugate_column ? 1.0 : 2.0;
      const double k2 = kx * kx + ky * ky;
      const auto shell = static_cast<size_t>(std::lround(std::sqrt(k2) / dk) - 1);
      if (shell >= spectrum.energy.size()) spectrum.energy.resize(shell + 1, 0.0);
      spectrum.energy[shell] += weight * std::norm(w_hat[i * nyc + j]) * scale / k2;
    }
  }
  spectrum.k.resize(spectrum.energy.size());
  for (size_t s = 0; s < spectrum.k.size(); ++s)
    spectrum.k[s] = static_cast<double>(s + 1) * dk;
  return spectrum;
}

double spectrum_log_error(const Spectrum& pred, const Spectrum& truth, double k_max) {
  if (pred.k != truth.k || pred.energy.size() != pred.k.size() ||
      truth.energy.size() != truth.k.size()) {
    throw ShapeError("spectrum_log_error: spectra with " + std::to_string(pred.k.size()) + " and " +
                     std::to_string(truth.k.size()) +
                     " shells on different wavenumbers; expected spectra of the same grid");
  }
  double sum = 0.0;
  Index count = 0;
  for (size_t s = 0; s < truth.k.size(); ++s) {
    if (truth.k[s] < 1.0 || truth.k[s] > k_max) continue;
    if (!(pred.energy[s] > 0.0) || !(truth.energy[s] > 0.0)) continue;
    sum += std::abs(std::log10(pred.energy[s]) - std::log10(truth.energy[s]));
    ++count;
  }
  return count == 0 ? std::numeric_limits<double>::quiet_NaN() : sum / static_cast<double>(count);
}

Index steps_above(const std::vector<double>& series, double threshold) {
  for (size_t i = 0; i < series.size(); ++i) {
    if (!(series[i] >= threshold)) return static_cast<Index>(i);
  }
  return static_cast<Index>(series.size());
}

}  // namespace pf::eval
