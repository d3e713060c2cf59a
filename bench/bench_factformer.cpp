// FactFormer-2D (Kolmogorov configuration: C=128, depth 4, 8 heads, Dh 64) and FactFormer-3D
// (smoke configuration: C=128, depth 3, 6 heads, Dh 64, padding 2) at batch 1 and one latent
// step: forward (no graph) and forward + backward of the mean output, 2D at 128² and 256², 3D at
// 32³ and 64³.
// Memory: each benchmark resets the process's peak RSS (/proc/self/clear_refs, "5") before it
// starts and reports `peak_rss_MB` (VmHWM after the last iteration, the process's peak during
// this benchmark) and `peak_over_start_MB` (that peak minus the RSS when it began: what the
// benchmark's own work needed). bench/factformer_side_by_side.sh runs one case per process.
#include "common.hpp"

#include "models/factformer/factformer2d.hpp"
#include "models/factformer/factformer3d.hpp"
#include "tensor/ops.hpp"

#include <benchmark/benchmark.h>

#include <memory>
#include <string>

namespace pf::bench {
namespace {
template <class Model>
Model& model() {
  static std::unique_ptr<Model> m;
  if (!m) {
    Rng rng(0);
    m = std::make_unique<Model>(typename std::decay_t<decltype(m->config())>{}, rng);
    on_release([] { m.reset(); });
  }
  return *m;
}

template <class Model>
Tensor<float> input(Index n);
template <>
Tensor<float> input<FactFormer2D>(Index n) {
  const Shape shape{1, n, n, model<FactFormer2D>().config().in_channels};
  return Tensor<float>(cached_vec("factformer_input", numel(shape)), shape);
}
template <>
Tensor<float> input<FactFormer3D>(Index n) {
  const auto& c = model<FactFormer3D>().config();
  const Shape shape{1, c.in_steps, n, n, n, c.in_fields};
  return Tensor<float>(cached_vec("factformer3d_input", numel(shape)), shape);
}

void report_memory(benchmark::State& state, double start_mb, bool reset_ok) {
  const double peak = status_mb("VmHWM");
  state.counters["peak_rss_MB"] = peak;
  state.counters["peak_over_start_MB"] = reset_ok ? peak - start_mb : 0.0;
}

template <class Model>
void BM_forward(benchmark::State& state) {
  const Index n = state.range(0);
  const Tensor<float> u = input<Model>(n);
  {
    NoGradGuard no_grad;
    model<Model>().forward(u, 1);
  }
  const double start = status_mb("VmRSS");
  const bool reset = reset_peak_rss();
  for (auto _ : state) {
    NoGradGuard no_grad;
    Tensor<float> y = model<Model>().forward(u, 1);
    Kokkos::fence();
    benchmark::DoNotOptimize(y.data().data());
  }
  report_memory(state, start, reset);
}

template <class Model>
void BM_forward_backward(benchmark::State& state) {
  const Index n = state.range(0);
  const Tensor<float> u = input<Model>(n);
  mean_all(model<Model>().forward(u, 1)).backward();
  const double start = status_mb("VmRSS");
  const bool reset = reset_peak_rss();
  for (auto _ : state) {
    model<Model>().zero_grad();
    const Tensor<float> loss = mean_all(model<Model>().forward(u, 1));
    loss.backward();
    Kokkos::fence();
  }
  report_memory(state, start, reset);
}

BENCHMARK(BM_forward<FactFormer2D>)
    ->Name("factformer2d/forward")
    ->Arg(128)
    ->Arg(256)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);
BENCHMARK(BM_forward_backward<FactFormer2D>)
    ->Name("factformer2d/forward_backward")
    ->Arg(128)
    ->Arg(256)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);
BENCHMARK(BM_forward<FactFormer3D>)
    ->Name("factformer3d/forward")
    ->Arg(32)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);
BENCHMARK(BM_forward_backward<FactFormer3D>)
    ->Name("factformer3d/forward_backward")
    ->Arg(32)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);

}  // namespace
}  // namespace pf::bench
