// Convergence of the Kolmogorov-flow solver: the time schemes' orders against a fine-step
// reference, and spectral (faster than any power) convergence in space.
#include "kolmogorov_helpers.hpp"
#include "sim/kolmogorov/initial_condition.hpp"

#include <gtest/gtest.h>

#include <cstdio>

namespace {

using namespace pf::sim;
using pf::Index;
using pf::testing::max_abs;
using pf::testing::max_abs_diff;
using pf::testing::run_steps;
using pf::testing::sample;
using pf::testing::vorticity_of;

FlowParams smooth_forced() {
  FlowParams p;
  p.nu = 0.02;
  p.drag = 0.1;
  p.k_f = 2;
  p.amplitude = -2.0;
  return p;
}

// Vorticity at t = 1 from a fixed GRF start on 32², stepped with `scheme` at dt.
std::vector<double> solve(Scheme scheme, double dt) {
  Flow flow(32, smooth_forced(), false);
  pf::Rng rng(11);
  gaussian_random_field(flow.grid(), GrfParams{}, rng, flow.w_hat());
  Stepper stepper(flow, scheme);
  run_steps(flow, stepper, dt, Index(std::lround(1.0 / dt)));
  return vorticity_of(flow);
}

// Observed orders log2(e(dt)/e(dt/2)) over dt, dt/2, dt/4 against a reference 64 times finer
// (ETDRK4, whose error there is ~1e-7 of the coarsest error of either scheme).
std::vector<double> observed_orders(Scheme scheme, double dt) {
  const auto ref = solve(Scheme::Etdrk4, dt / 64);
  std::vector<double> err;
  for (double h : {dt, dt / 2, dt / 4})
    err.push_back(max_abs_diff(solve(scheme, h), ref));
  return {std::log2(err[0] / err[1]), std::log2(err[1] / err[2])};
}

TEST(KolmogorovConvergence, CnHeunIsSecondOrderInTime) {
  const auto p = observed_orders(Scheme::CnHeun, 0.05);
  // ±0.2: the asymptotic regime is reached at these steps (CFL ≈ 0.1) but not exactly.
  for (double order : p)
    EXPECT_NEAR(order, 2.0, 0.2);
}

TEST(KolmogorovConvergence, ReferenceCnHeunIsFirstOrderThroughAliasing) {
  // Masking only the new state leaves dt·h₁'s out-of-disc modes in the Heun stage, whose
  // aliased products add an O(dt) error per unit time (measured orders ≈ 1.09, 0.97).
  const auto p = observed_orders(Scheme::CnHeunReference, 0.05);
  for (double order : p)
    EXPECT_NEAR(order, 1.0, 0.2);
}

TEST(KolmogorovConvergence, Etdrk4IsFourthOrderInTime) {
  const auto p = observed_orders(Scheme::Etdrk4, 0.1);
  for (double order : p)
    EXPECT_NEAR(order, 4.0, 0.2);
}

TEST(KolmogorovConvergence, SpectralInSpace) {
  // An entire initial field: its Fourier coefficients fall like 1/(2^k k!), so the error of the
  // truncated solution falls faster than any power of 1/n.
  const auto w0 = [](double x, double y) { return std::sin(x) * std::exp(std::cos(y)); };
  FlowParams p;
  p.nu = 0.05;
  p.drag = 0.0;
  p.k_f = 0;
  const auto solve_on = [&](Index n) {
    Flow flow(n, p, false);
    flow.set_vorticity(sample(n, w0).data());
    Stepper stepper(flow, Scheme::Etdrk4);
    run_steps(flow, stepper, 0.01, 50);
    return vorticity_of(flow);
  };
  const Index n_ref = 64;
  const auto ref = solve_on(n_ref);
  std::vector<double> err;
  for (Index n : {8, 16, 32}) {
    const auto w = solve_on(n);
    double e = 0;
    const Index stride = n_ref / n;
    for (Index i = 0; i < n; ++i)
      for (Index j = 0; j < n; ++j)
        e = std::max(e, std::abs(w[std::size_t(i * n + j)] -
                                 ref[std::size_t((i * stride) * n_ref + j * stride)]));
    err.push_back(e / max_abs(ref));
  }
  // Measured 5.4e-2, 9.4e-4, 1.3e-7. An algebraic rate n^−p gains the same factor 2^p from
  // each doubling; exponential convergence gains more each time (here log-gains 4.1 then 8.9):
  // ask for 1.5 times more.
  std::printf("spectral errors n = 8, 16, 32: %.3e %.3e %.3e\n", err[0], err[1], err[2]);
  EXPECT_GT(std::log(err[1] / err[2]), 1.5 * std::log(err[0] / err[1]));
  EXPECT_LT(err[2], 1e-6);
}

}  // namespace
