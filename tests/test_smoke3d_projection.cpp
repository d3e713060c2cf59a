// The smoke simulator's pressure projection: the DCT Poisson solver against the discrete and the
// continuous Laplacian, and the projection's defining properties.
#include "sim/smoke3d/poisson.hpp"
#include "sim/smoke3d/projection.hpp"
#include "smoke3d_helpers.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

namespace {

using namespace pf::sim::smoke;
using pf::Index;

// f at the cell centres of g.
std::vector<double> at_centres(const MacGrid& g,
                               const std::function<double(double, double, double)>& f) {
  const Index n = g.n;
  const double dx = g.dx();
  std::vector<double> out(std::size_t(g.cells()));
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < n; ++j)
      for (Index k = 0; k < n; ++k)
        out[std::size_t((i * n + j) * n + k)] = f((i + 0.5) * dx, (j + 0.5) * dx, (k + 0.5) * dx);
  return out;
}

// The 7-point Neumann Laplacian of cell values: the operator the solver must invert exactly.
std::vector<double> discrete_laplacian(const MacGrid& g, const std::vector<double>& p) {
  const Index n = g.n;
  const double h2 = g.dx() * g.dx();
  std::vector<double> out(p.size());
  const auto at = [&](Index i, Index j, Index k) { return p[std::size_t((i * n + j) * n + k)]; };
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < n; ++j)
      for (Index k = 0; k < n; ++k) {
        const double c = at(i, j, k);
        double s = 0;
        // A missing neighbour beyond a wall counts as c: zero flux through the wall.
        s += (i > 0 ? at(i - 1, j, k) : c) + (i < n - 1 ? at(i + 1, j, k) : c);
        s += (j > 0 ? at(i, j - 1, k) : c) + (j < n - 1 ? at(i, j + 1, k) : c);
        s += (k > 0 ? at(i, j, k - 1) : c) + (k < n - 1 ? at(i, j, k + 1) : c);
        out[std::size_t((i * n + j) * n + k)] = (s - 6 * c) / h2;
      }
  return out;
}

double max_abs_diff(const std::vector<double>& a, const std::vector<double>& b) {
  double m = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    m = std::max(m, std::abs(a[i] - b[i]));
  return m;
}

double mean(const std::vector<double>& a) {
  double s = 0;
  for (double x : a)
    s += x;
  return s / double(a.size());
}

// A smooth pressure with zero normal derivative on every wall of [0, L]³, and its Laplacian.
constexpr double kL = 8.0;
double manufactured(double x, double y, double z) {
  const double w = M_PI / kL;
  return std::cos(w * x) * std::cos(2 * w * y) * std::cos(w * z) + 0.5 * std::cos(3 * w * z);
}
double manufactured_laplacian(double x, double y, double z) {
  const double w = M_PI / kL;
  return -6 * w * w * std::cos(w * x) * std::cos(2 * w * y) * std::cos(w * z) -
         0.5 * 9 * w * w * std::cos(3 * w * z);
}

TEST(Smoke3dPoisson, InvertsTheDiscreteOperatorToRoundOff) {
  // A non-smooth zero-mean p: every mode, so every eigenvalue, takes part.
  const MacGrid g{12, kL};
  pf::Rng rng(3);
  std::vector<double> p(std::size_t(g.cells()));
  for (double& x : p)
    x = rng.uniform(-1, 1);
  const double m = mean(p);
  for (double& x : p)
    x -= m;
  const std::vector<double> f = discrete_laplacian(g, p);
  DctPoisson poisson(g.n, g.dx(), false);
  std::copy(f.begin(), f.end(), poisson.data());
  const double removed = poisson.solve();
  EXPECT_LT(std::abs(removed), 1e-13);  // a Laplacian's mean vanishes in a closed box
  const std::vector<double> got(poisson.data(), poisson.data() + g.cells());
  // |p| ≤ 1 and L's condition number is ~n²: 1e-12 leaves a margin of ~100 over round-off.
  EXPECT_LT(max_abs_diff(got, p), 1e-12);
}

TEST(Smoke3dPoisson, CosineModeIsRecoveredExactlyFromItsDiscreteLaplacian) {
  const MacGrid g{16, kL};
  const std::vector<double> p = at_centres(g, manufactured);
  DctPoisson poisson(g.n, g.dx(), false);
  const std::vector<double> f = discrete_laplacian(g, p);
  std::copy(f.begin(), f.end(), poisson.data());
  poisson.solve();
  const std::vector<double> got(poisson.data(), poisson.data() + g.cells());
  // Cosines sampled at cell centres are DCT-II modes, zero mean: the solve is exact up to
  // round-off (|p| ≤ 1.5).
  EXPECT_LT(max_abs_diff(got, p), 1e-12);
  // And each mode's eigenvalue is the formula's: L p for the (1, 2, 1) mode alone.
  EXPECT_NEAR(poisson.eigenvalue(1, 2, 1),
              (2 * std::cos(M_PI / 16) - 2 + 2 * std::cos(2 * M_PI / 16) - 2 +
               2 * std::cos(M_PI / 16) - 2) /
                  (g.dx() * g.dx()),
              1e-14);
}

TEST(Smoke3dPoisson, SecondOrderAgainstTheContinuousLaplacian) {
  std::vector<double> errors;
  for (Index n : {16, 32, 64}) {
    const MacGrid g{n, kL};
    const std::vector<double> p = at_centres(g, manufactured);
    const std::vector<double> f = at_centres(g, manufactured_laplacian);
    DctPoisson poisson(n, g.dx(), false);
    std::copy(f.begin(), f.end(), poisson.data());
    poisson.solve();
    errors.push_back(
        max_abs_diff(std::vector<double>(poisson.data(), poisson.data() + g.cells()), p));
    // Each cosine mode comes back scaled by λ_continuous/λ_discrete: the error can be no larger
    // than Σ |ratio − 1|·amplitude over the two modes, and reaches most of it near a corner.
    const double w = M_PI / kL, h = g.dx();
    const auto ratio = [h](double a, double b, double c) {
      const auto d = [h](double k) { return (2 * std::cos(k * h) - 2) / (h * h); };
      return -(a * a + b * b + c * c) / (d(a) + d(b) + d(c));
    };
    const double bound = std::abs(ratio(w, 2 * w, w) - 1) + 0.5 * std::abs(ratio(0, 0, 3 * w) - 1);
    EXPECT_LE(errors.back(), bound * (1 + 1e-9)) << "n = " << n;
    EXPECT_GE(errors.back(), 0.5 * bound) << "n = " << n;
  }
  for (std::size_t i = 1; i < errors.size(); ++i) {
    const double order = std::log2(errors[i - 1] / errors[i]);
    // The 7-point stencil's truncation error is O(dx²) with no lower-order term: the measured
    // order lies within 0.05 of 2 once dx is a tenth of the shortest wavelength.
    EXPECT_NEAR(order, 2.0, 0.05) << "n = " << (16 << i) << ", errors " << errors[i - 1] << " → "
                                  << errors[i];
  }
}

TEST(Smoke3dProjection, DivergenceAtRoundOffAndIdempotent) {
  const MacGrid g{24, kL};
  Velocity v = pf::testing::random_velocity(g, 11);
  const double before = max_divergence(g, v);
  DctPoisson poisson(g.n, g.dx(), false);
  const double mean_removed = project(g, poisson, v);
  // Wall faces carry no flux, so the divergence sums to zero before the solve.
  EXPECT_LT(std::abs(mean_removed), 1e-13 * before);
  const double scale = pf::testing::max_abs(v) / g.dx();
  EXPECT_GT(before, 0.5 * scale);
  // Relative to |v|/dx, the size of one face difference: round-off of a few thousand summed
  // modes stays below 1e-12.
  EXPECT_LT(max_divergence(g, v), 1e-12 * scale);
  const Velocity once = v;
  project(g, poisson, v);
  EXPECT_LT(pf::testing::max_abs_difference(once, v), 1e-13 * pf::testing::max_abs(once));
  // Walls untouched.
  const Lattice lu = face_lattice(g, 0);
  for (Index j = 0; j < g.n; ++j)
    for (Index k = 0; k < g.n; ++k) {
      EXPECT_EQ(v.c[0][std::size_t(lu.index(0, j, k))], 0.0);
      EXPECT_EQ(v.c[0][std::size_t(lu.index(g.n, j, k))], 0.0);
    }
}

TEST(Smoke3dProjection, GradientFieldProjectsToZero) {
  const MacGrid g{16, kL};
  const Index n = g.n;
  pf::Rng rng(5);
  std::vector<double> phi(std::size_t(g.cells()));
  for (double& x : phi)
    x = rng.uniform(-1, 1);
  Velocity v(g);
  const Lattice lc = cell_lattice(g);
  const double inv = 1.0 / g.dx();
  for (int a = 0; a < 3; ++a) {
    const Lattice l = face_lattice(g, a);
    for (Index i = 0; i < l.sizes[0]; ++i)
      for (Index j = 0; j < l.sizes[1]; ++j)
        for (Index k = 0; k < l.sizes[2]; ++k) {
          Index idx[3] = {i, j, k};
          if (idx[a] == 0 || idx[a] == n) continue;  // walls: zero flux
          const Index hi = lc.index(idx[0], idx[1], idx[2]);
          idx[a] -= 1;
          const Index lo = lc.index(idx[0], idx[1], idx[2]);
          v.c[std::size_t(a)][std::size_t(l.index(i, j, k))] =
              (phi[std::size_t(hi)] - phi[std::size_t(lo)]) * inv;
        }
  }
  const double scale = pf::testing::max_abs(v);
  DctPoisson poisson(n, g.dx(), false);
  project(g, poisson, v);
  // What is left is round-off of |∇φ| ≤ 2/dx.
  EXPECT_LT(pf::testing::max_abs(v), 1e-12 * scale);
}

}  // namespace
