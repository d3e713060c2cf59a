// 3D smoke simulator: time per step at 64³ and 128³ (box [0, 8]³, dt 0.75, b 0.5, semi-
// Lagrangian), with the phases' shares as counters, beside the bare FFTW DCT-II + DCT-III pair
// of the same size (the floor of the pressure solve), for both FFTW planning modes.
//   smoke3d/step/<n>/<measure>: counters advection_ms, diffusion_ms (with buoyancy),
//     projection_ms per step and projection_share; the projection is divergence + DCT pair +
//     division + gradient. At 128³ ν is scaled to keep ν·dt/dx² = 0.144 (the reference's value
//     at 64³; 0.003 would break the explicit limit there) — the cost does not depend on ν.
//   smoke3d/dct_pair/<n>/<measure>: REDFT10 then REDFT01 in place and one scaling pass (what
//     the solve's division costs), one thread.
// The state is first advanced 8 steps (the reference's warm-up), so backtraces have realistic
// lengths (CFL ≈ 5–10), and keeps evolving while timed.
#include "core/rng.hpp"
#include "sim/smoke3d/initial_smoke.hpp"
#include "sim/smoke3d/stepper.hpp"

#include <benchmark/benchmark.h>

#include <fftw3.h>

namespace pf::bench {
namespace {

using namespace pf::sim::smoke;

// FFTW keeps what MEASURE planning learnt (wisdom) and reuses it for later ESTIMATE plans of the
// same size: forgotten first, so that each case times its own planning mode whatever ran before.
void smoke_step(benchmark::State& state) {
  fftw_forget_wisdom();
  const MacGrid g{state.range(0), 8.0};
  const bool measure = state.range(1) != 0;
  SmokeParams p;
  p.viscosity = 0.003 * (64.0 / double(g.n)) * (64.0 / double(g.n));
  SmokeStepper stepper(g, p, measure);
  SmokeState s(g);
  Rng rng(1);
  smoke_noise(g, NoiseParams{}, rng, s.density.data());
  for (int k = 0; k < 8; ++k)
    stepper.step(s);
  const StepTimes before = stepper.times();
  for (auto _ : state)
    stepper.step(s);
  const StepTimes& t = stepper.times();
  const double steps = double(t.steps - before.steps);
  const double adv = t.advection - before.advection, dif = t.diffusion - before.diffusion,
               proj = t.projection - before.projection;
  state.counters["advection_ms"] = 1e3 * adv / steps;
  state.counters["diffusion_ms"] = 1e3 * dif / steps;
  state.counters["projection_ms"] = 1e3 * proj / steps;
  state.counters["projection_share"] = proj / (adv + dif + proj);
}

void dct_pair(benchmark::State& state) {
  fftw_forget_wisdom();
  const Index n = state.range(0);
  DctPoisson poisson(n, 8.0 / double(n), state.range(1) != 0);
  double* x = poisson.data();
  for (Index i = 0; i < n * n * n; ++i)
    x[i] = double(i % 7) - 3.0;
  const double norm = 1.0 / (8.0 * double(n) * double(n) * double(n));
  for (auto _ : state) {
    poisson.forward();
    poisson.backward();
    for (Index i = 0; i < n * n * n; ++i)  // as the solve's division pass: values stay bounded
      x[i] *= norm;
    benchmark::DoNotOptimize(x[0]);
  }
}

BENCHMARK(smoke_step)
    ->Name("smoke3d/step")
    ->ArgsProduct({{64, 128}, {0, 1}})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(dct_pair)
    ->Name("smoke3d/dct_pair")
    ->ArgsProduct({{64, 128}, {0, 1}})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace pf::bench
