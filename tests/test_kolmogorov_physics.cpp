// Kolmogorov-flow solver against exact solutions and the invariants of the equations.
#include "kolmogorov_helpers.hpp"
#include "sim/kolmogorov/diagnostics.hpp"
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

FlowParams unforced(double nu, double drag) {
  FlowParams p;
  p.nu = nu;
  p.drag = drag;
  p.k_f = 0;
  return p;
}

// A turbulent-looking state: the reference's GRF, forced at k_f = 4, run for a while.
void spin_up(Flow& flow, std::uint64_t seed, double t_end) {
  pf::Rng rng(seed);
  gaussian_random_field(flow.grid(), GrfParams{}, rng, flow.w_hat());
  Stepper stepper(flow, Scheme::Etdrk4);
  run_steps(flow, stepper, 0.01, Index(std::lround(t_end / 0.01)));
}

FlowParams forced(double nu, double drag, int kf) {
  FlowParams p;
  p.nu = nu;
  p.drag = drag;
  p.k_f = kf;
  p.amplitude = -double(kf);
  return p;
}

const auto taylor_green = [](double x, double y) { return 2.0 * std::cos(x) * std::cos(y); };

TEST(KolmogorovPhysics, TaylorGreenNormalisationAndNoNonlinearTerm) {
  Flow flow(32, unforced(0.01, 0.1), false);
  const auto w0 = sample(32, taylor_green);
  flow.set_vorticity(w0.data());
  // ψ = cos x cos y: E = ½⟨u² + v²⟩ = ¼, Z = ½⟨ω²⟩ = ½, both exact on any grid that resolves
  // wavenumber 1, up to round-off in the transform sums.
  const FlowDiagnostics d = diagnose(flow);
  EXPECT_NEAR(d.energy, 0.25, 1e-15);
  EXPECT_NEAR(d.enstrophy, 0.5, 1e-15);
  // An eigenfunction of the Laplacian: u·∇ω = 0 exactly, so N̂ is round-off (the products are
  // O(1), the transform sums 1024 of them).
  SpecArray n_hat(flow.grid().spec_size());
  flow.explicit_term(flow.w_hat(), n_hat.data(), false);
  double m = 0;
  for (Index k = 0; k < flow.grid().spec_size(); ++k)
    m = std::max(m, std::abs(n_hat[k]));
  EXPECT_LT(m, 1e-15);
}

TEST(KolmogorovPhysics, TaylorGreenDecayEtdrk4IsExact) {
  const double nu = 0.01, drag = 0.1, dt = 0.1;
  Flow flow(32, unforced(nu, drag), false);
  flow.set_vorticity(sample(32, taylor_green).data());
  Stepper stepper(flow, Scheme::Etdrk4);
  run_steps(flow, stepper, dt, 50);
  // ETDRK4 integrates the linear part exactly: ω(t) = 2cos x cos y·e^{−(2ν+α)t}. 50 steps of
  // round-off (~1e-16 each, relative) stay well below 1e-13.
  const double decay = std::exp(-(2 * nu + drag) * 5.0);
  const auto exact = sample(32, [&](double x, double y) { return taylor_green(x, y) * decay; });
  EXPECT_LT(max_abs_diff(vorticity_of(flow), exact) / max_abs(exact), 1e-13);
  EXPECT_NEAR(diagnose(flow).energy / (0.25 * decay * decay), 1.0, 1e-13);
}

TEST(KolmogorovPhysics, TaylorGreenDecayCnHeunMatchesItsAmplificationFactor) {
  const double nu = 0.01, drag = 0.1, dt = 0.05;
  Flow flow(32, unforced(nu, drag), false);
  flow.set_vorticity(sample(32, taylor_green).data());
  Stepper stepper(flow, Scheme::CnHeun);
  run_steps(flow, stepper, dt, 100);
  // Crank–Nicolson's factor per step on the mode k² = 2: (1 − ½dt L)/(1 + ½dt L), L = 2ν + α.
  const double L = 2 * nu + drag;
  const double factor = std::pow((1 - 0.5 * dt * L) / (1 + 0.5 * dt * L), 100);
  const auto expected = sample(32, [&](double x, double y) { return taylor_green(x, y) * factor; });
  EXPECT_LT(max_abs_diff(vorticity_of(flow), expected) / max_abs(expected), 1e-13);
  // And that factor is the exponential to second order: error (dt L)³/12 per step·100 steps.
  EXPECT_NEAR(factor / std::exp(-L * 5.0), 1.0, 100 * std::pow(dt * L, 3) / 12 * 1.01);
}

TEST(KolmogorovPhysics, LaminarAttractorAtLowReynolds) {
  // Drag 2 damps every perturbation at rate ≥ 2 (faster than any shear instability of this
  // weak flow, amplitude 0.36): from a GRF start the flow relaxes to ω = A cos(k_f y)/(νk_f² + α).
  const FlowParams p = forced(0.05, 2.0, 4);
  Flow flow(32, p, false);
  pf::Rng rng(3);
  gaussian_random_field(flow.grid(), GrfParams{}, rng, flow.w_hat());
  Stepper stepper(flow, Scheme::CnHeun);
  run_steps(flow, stepper, 0.05, 300);  // t = 15: e^{−30} of the initial perturbation
  const double amp = p.amplitude / (p.nu * 16 + p.drag);
  const auto exact = sample(32, [&](double, double y) { return amp * std::cos(4 * y); });
  // Also a fixed point of the discrete scheme: what remains is the decayed perturbation and
  // round-off.
  EXPECT_LT(max_abs_diff(vorticity_of(flow), exact) / std::abs(amp), 1e-10);
  // Sine forcing gives the shifted profile.
  FlowParams ps = p;
  ps.shape = ForcingShape::Sin;
  Flow flow_s(32, ps, false);
  Stepper stepper_s(flow_s, Scheme::Etdrk4);
  run_steps(flow_s, stepper_s, 0.1, 150);
  const auto exact_s = sample(32, [&](double, double y) { return amp * std::sin(4 * y); });
  EXPECT_LT(max_abs_diff(vorticity_of(flow_s), exact_s) / std::abs(amp), 1e-10);
}

TEST(KolmogorovPhysics, VelocityIsDivergenceFreeAndItsCurlIsTheVorticity) {
  Flow flow(64, forced(0.01, 0.1, 4), false);
  spin_up(flow, 5, 0.5);
  const SpectralGrid& g = flow.grid();
  std::vector<double> u(std::size_t(g.real_size())), v(u.size());
  flow.velocity(u.data(), v.data());
  SpecArray u_hat(g.spec_size()), v_hat(g.spec_size()), div(g.spec_size()), curl(g.spec_size());
  g.forward(u.data(), u_hat.data());
  g.forward(v.data(), v_hat.data());
  for (Index i = 0; i < g.n(); ++i)
    for (Index j = 0; j < g.nk(); ++j) {
      const Index m = i * g.nk() + j;
      const cplx ikx(0, g.dkx(i)), iky(0, g.dky(j));
      div[m] = ikx * u_hat[m] + iky * v_hat[m];
      curl[m] = ikx * v_hat[m] - iky * u_hat[m];  // ω = ∂x v − ∂y u
    }
  std::vector<double> div_x(u.size()), curl_x(u.size());
  g.inverse(div.data(), div_x.data());
  g.inverse(curl.data(), curl_x.data());
  const auto w = vorticity_of(flow);
  // Round-off of three transforms of O(max|ω|) data.
  EXPECT_LT(max_abs(div_x) / max_abs(w), 1e-13);
  EXPECT_LT(max_abs_diff(curl_x, w) / max_abs(w), 1e-13);
}

TEST(KolmogorovPhysics, EnergyBudgetHoldsAndAdvectionConservesEnergyAndEnstrophy) {
  const FlowParams p = forced(0.01, 0.1, 4);
  Flow flow(64, p, false);
  spin_up(flow, 7, 1.0);
  // Galerkin (2/3-disc) truncation: the dealiased advection term moves energy and enstrophy
  // between modes but creates none: Σ ψ̂*N̂ = Σ ŵ*N̂ = 0 to round-off.
  const SpectralGrid& g = flow.grid();
  FlowParams no_forcing = p;
  no_forcing.k_f = 0;
  Flow advect(64, no_forcing, false);
  std::copy(flow.w_hat(), flow.w_hat() + g.spec_size(), advect.w_hat());
  SpecArray n_hat(g.spec_size());
  advect.explicit_term(advect.w_hat(), n_hat.data(), true);
  double de = 0, dz = 0, scale_e = 0, scale_z = 0;
  for (Index i = 0; i < g.n(); ++i)
    for (Index j = 0; j < g.nk(); ++j) {
      const Index m = i * g.nk() + j;
      const int k2 = g.k2(i, j);
      if (k2 == 0) continue;
      const double wgt = g.weight(j);
      de += wgt * (std::conj(flow.w_hat()[m]) * n_hat[m]).real() / k2;
      dz += wgt * (std::conj(flow.w_hat()[m]) * n_hat[m]).real();
      scale_e += wgt * std::abs(flow.w_hat()[m]) * std::abs(n_hat[m]) / k2;
      scale_z += wgt * std::abs(flow.w_hat()[m]) * std::abs(n_hat[m]);
    }
  EXPECT_LT(std::abs(de) / scale_e, 1e-13);
  EXPECT_LT(std::abs(dz) / scale_z, 1e-13);

  // dE/dt = P − 2νZ − 2αE: central differences of E (ETDRK4, steps of h/2, error far below the
  // difference's) converge to it as h².
  const FlowDiagnostics d = diagnose(flow);
  const double rhs = d.injection - d.dissipation - 2 * p.drag * d.energy;
  const double scale = std::abs(d.injection) + d.dissipation + 2 * p.drag * d.energy;
  const auto central_difference = [&](double h) {
    double e[2];
    for (int side = 0; side < 2; ++side) {
      Flow f(64, p, false);
      std::copy(flow.w_hat(), flow.w_hat() + g.spec_size(), f.w_hat());
      Stepper st(f, Scheme::Etdrk4);
      run_steps(f, st, side == 0 ? -h / 2 : h / 2, 2);
      e[side] = diagnose(f).energy;
    }
    return (e[1] - e[0]) / (2 * h);
  };
  const double r1 = (central_difference(0.02) - rhs) / scale;
  const double r2 = (central_difference(0.01) - rhs) / scale;
  // The residual is the central difference's h² term (measured 4.2e-5, 1.05e-5: ratio 4);
  // Richardson extrapolation removes it, leaving the h⁴ term and ETDRK4's error.
  std::printf("energy budget: relative residual %.3e (h = 0.02), %.3e (h = 0.01), %.3e (h → 0)\n",
              r1, r2, (4 * r2 - r1) / 3);
  EXPECT_NEAR(r1 / r2, 4.0, 0.2);
  EXPECT_LT(std::abs(4 * r2 - r1) / 3, 1e-8);  // measured 2.6e-10
}

TEST(KolmogorovPhysics, TranslationAndShiftReflectSymmetry) {
  const int kf = 4;
  const Index n = 64;
  Flow base(n, forced(0.01, 0.1, kf), false);
  spin_up(base, 9, 0.2);
  const auto w0 = vorticity_of(base);
  // (x, y, ω) → (x + 8h, y, ω) and (x, y, ω) → (−x, y + π/k_f, −ω) map solutions to solutions.
  const Index shift_y = n / (2 * kf);
  std::vector<double> translated(w0.size()), reflected(w0.size());
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < n; ++j) {
      translated[std::size_t(((i + 8) % n) * n + j)] = w0[std::size_t(i * n + j)];
      reflected[std::size_t(((n - i) % n) * n + (j + n - shift_y) % n)] =
          -w0[std::size_t(i * n + j)];
    }
  // reflected(x, y) = −ω(−x, y + π/k_f): index (−i, j − shift) holds −ω(i, j).
  Flow a(n, forced(0.01, 0.1, kf), false), b(n, forced(0.01, 0.1, kf), false);
  a.set_vorticity(translated.data());
  b.set_vorticity(reflected.data());
  Stepper sb(base, Scheme::CnHeun), sa(a, Scheme::CnHeun), sr(b, Scheme::CnHeun);
  run_steps(base, sb, 0.01, 50);
  run_steps(a, sa, 0.01, 50);
  run_steps(b, sr, 0.01, 50);
  const auto w = vorticity_of(base), wa = vorticity_of(a), wb = vorticity_of(b);
  double err_t = 0, err_r = 0;
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < n; ++j) {
      const double wij = w[std::size_t(i * n + j)];
      err_t = std::max(err_t, std::abs(wa[std::size_t(((i + 8) % n) * n + j)] - wij));
      err_r = std::max(err_r,
                       std::abs(wb[std::size_t(((n - i) % n) * n + (j + n - shift_y) % n)] + wij));
    }
  // Exact symmetries of the discrete scheme too; only round-off, grown over 50 steps, remains.
  EXPECT_LT(err_t / max_abs(w), 1e-11);
  EXPECT_LT(err_r / max_abs(w), 1e-11);
}

}  // namespace
