// Time-series forecasters: training throughput (windows/s) and inference latency at the
// reference settings L=336/T=96 and L=96/T=96 with 7 (ETTh1) and 21 (Weather) channels.
//   ts/train_step/<model>/L<L>_T<T>_C<C>: forward, MSE, backward and one Adam step on a batch
//     of 32 windows (LTSF-Linear's ETTh1 batch); counter windows_per_second.
//   ts/inference/<model>/L<L>_T<T>_C<C>: forward of one window without a graph (latency).
// Models come from the registry by name (ts::make_forecaster), so any registered forecaster is
// benchmarked by adding its name to kModels. PyTorch side: bench/torch_timeseries.py.
#include "common.hpp"

#include "core/rng.hpp"
#include "forecast/forecast_task.hpp"
#include "models/timeseries/registry.hpp"
#include "optim/adam.hpp"
#include "tensor/ops.hpp"

#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <string>

namespace pf::bench {
namespace {

// Models benchmarked: add "patchtst", "pathformer" here once they are registered.
const char* const kModels[] = {"linear", "nlinear", "dlinear"};
constexpr Index kTrainBatch = 32;

struct Case {
  std::string model;
  Index seq_len, pred_len, channels;
};

std::shared_ptr<ts::Forecaster> build(const Case& c) {
  const Deck deck =
      Deck::resolve_text(forecast_task_schema(), "", "pf_bench", {"model.name=" + c.model});
  Rng rng(0);
  return ts::make_forecaster(deck, {c.seq_len, c.pred_len, c.channels}, rng);
}

Tensor<float> window(const std::string& name, const Shape& shape) {
  return Tensor<float>(cached_vec(name, numel(shape)), shape);
}

void BM_train_step(benchmark::State& state, Case c) {
  auto model = build(c);
  Adam<float> adam(model->named_parameters(), AdamConfig{});
  const Tensor<float> x = window("ts_x", {kTrainBatch, c.seq_len, c.channels});
  const Tensor<float> y = window("ts_y", {kTrainBatch, c.pred_len, c.channels});
  const auto step = [&] {
    adam.zero_grad();
    const Tensor<float> loss = mse_loss(model->forward(x), y);
    loss.backward();
    adam.step(1e-4, 0.9);
  };
  step();  // warm-up: Adam moments and gradient buffers allocated
  for (auto _ : state) {
    step();
    Kokkos::fence();
  }
  state.counters["windows_per_second"] = benchmark::Counter(
      double(kTrainBatch) * double(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["params"] = double(model->parameter_count());
}

void BM_inference(benchmark::State& state, Case c) {
  auto model = build(c);
  model->set_training(false);
  const Tensor<float> x = window("ts_x1", {1, c.seq_len, c.channels});
  for (auto _ : state) {
    NoGradGuard no_grad;
    Tensor<float> out = model->forward(x);
    Kokkos::fence();
    benchmark::DoNotOptimize(out.data().data());
  }
}

const bool registered = [] {
  for (const char* m : kModels)
    for (const auto& [L, T] : {std::pair<Index, Index>{336, 96}, {96, 96}})
      for (Index C : {7, 21}) {
        const Case c{m, L, T, C};
        const std::string tail = std::string(m) + "/L" + std::to_string(L) + "_T" +
                                 std::to_string(T) + "_C" + std::to_string(C);
        benchmark::RegisterBenchmark(("ts/train_step/" + tail).c_str(), BM_train_step, c)
            ->Unit(benchmark::kMicrosecond)
            ->UseRealTime();
        benchmark::RegisterBenchmark(("ts/inference/" + tail).c_str(), BM_inference, c)
            ->Unit(benchmark::kMicrosecond)
            ->UseRealTime();
      }
  return true;
}();

}  // namespace
}  // namespace pf::bench
