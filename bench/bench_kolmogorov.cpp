// Kolmogorov-flow solver: time per step of CN–Heun (10 transforms) and ETDRK4 (20) at 256² and
// 1024², beside 10 bare FFTW transforms of the same size (6 c2r + 4 r2c, FFTW_MEASURE, one
// thread) — the floor a CN–Heun step cannot beat. step/fft10 − 1 is the share of the pointwise
// work (velocity, products, the implicit update, normalisation, copies before c2r).
#include "sim/kolmogorov/initial_condition.hpp"
#include "sim/kolmogorov/stepper.hpp"

#include <benchmark/benchmark.h>

#include <fftw3.h>

namespace pf::bench {
namespace {

using namespace pf::sim;

void step(benchmark::State& state, Scheme scheme) {
  const Index n = state.range(0);
  FlowParams p;  // the reference physics: Re 1000, drag 0.1, forcing −8cos(8y)
  Flow flow(n, p, true);
  Rng rng(1);
  gaussian_random_field(flow.grid(), GrfParams{}, rng, flow.w_hat());
  Stepper stepper(flow, scheme);
  const double dt = 1.0 / 2048;  // stable at 1024²; the step's cost does not depend on it
  stepper.step(flow, dt);        // ETDRK4 builds its coefficients here, outside the timing
  for (auto _ : state)
    stepper.step(flow, dt);
  state.counters["fft_per_step"] = scheme == Scheme::CnHeun ? 10 : 20;
}

void cn_heun_step(benchmark::State& state) {
  step(state, Scheme::CnHeun);
}
void etdrk4_step(benchmark::State& state) {
  step(state, Scheme::Etdrk4);
}

void fft10(benchmark::State& state) {
  const int n = int(state.range(0));
  const auto nr = std::size_t(n) * std::size_t(n), nc = std::size_t(n) * std::size_t(n / 2 + 1);
  double* real = fftw_alloc_real(nr);
  fftw_complex* spec = fftw_alloc_complex(nc);
  fftw_plan r2c = fftw_plan_dft_r2c_2d(n, n, real, spec, FFTW_MEASURE);
  fftw_plan c2r = fftw_plan_dft_c2r_2d(n, n, spec, real, FFTW_MEASURE);
  for (std::size_t i = 0; i < nr; ++i)
    real[i] = double(i % 7) - 3.0;
  for (auto _ : state) {
    for (int k = 0; k < 4; ++k)
      fftw_execute(r2c);
    for (int k = 0; k < 6; ++k)
      fftw_execute(c2r);
    benchmark::DoNotOptimize(real[0]);
  }
  fftw_destroy_plan(r2c);
  fftw_destroy_plan(c2r);
  fftw_free(real);
  fftw_free(spec);
}

BENCHMARK(cn_heun_step)
    ->Name("kolmogorov/cn_heun_step")
    ->Arg(256)
    ->Arg(1024)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(etdrk4_step)
    ->Name("kolmogorov/etdrk4_step")
    ->Arg(256)
    ->Arg(1024)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(fft10)->Name("kolmogorov/fft10")->Arg(256)->Arg(1024)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace pf::bench
