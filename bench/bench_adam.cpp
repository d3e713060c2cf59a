// One Adam step on ≈3.4M parameters: an Mlp<float> 640→1024→1024→1024→640 (four Linear
// layers with bias), every parameter given a gradient by one backward pass, then
// Adam<float>::step timed alone. Adam reads p, g, m, v and writes p, m, v: 28 B/parameter,
// to compare with stream/triad (12 B/element).
#include "common.hpp"
#include "nn/layers.hpp"
#include "optim/adam.hpp"

#include <benchmark/benchmark.h>

namespace pf::bench {
namespace {

void BM_adam_step(benchmark::State& state) {
  Rng rng(1234);
  Mlp<float> mlp({640, 1024, 1024, 1024, 640}, Activation::Gelu, rng);
  {
    const Tensorf x = Tensorf(cached_vec("adam_x", 8 * 640), {8, 640});
    Tensorf loss = sum_all(mlp.forward(x));
    loss.backward();
  }
  const NamedTensors<float> params = mlp.named_parameters();
  Index n = 0;
  for (const auto& [name, p] : params) {
    if (p.grad().extent(0) == 0) {
      state.SkipWithError(("parameter without gradient: " + name).c_str());
      return;
    }
    n += p.numel();
  }
  Adam<float> adam(params, AdamConfig{});
  NoGradGuard no_grad;
  for (auto _ : state) {
    adam.step(1e-4);
    Kokkos::fence();
    benchmark::DoNotOptimize(params.front().second.data().data());
    benchmark::ClobberMemory();
  }
  state.counters["params"] = double(n);
  state.counters["params/s"] =
      benchmark::Counter(double(n), benchmark::Counter::kIsIterationInvariantRate);
  state.SetBytesProcessed(int64_t(7 * sizeof(float)) * n * state.iterations());
}

BENCHMARK(BM_adam_step)
    ->Name("adam/step/mlp_3.4M")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(0.5);

}  // namespace
}  // namespace pf::bench
