// PatchTST and Pathformer: one training step (forward, MSE + auxiliary loss, backward, Adam) at
// batch 32, and inference (no graph, eval mode) at batch 32 and batch 1, for L ∈ {336, 96},
// T = 96, C ∈ {7, 21}. C = 7 runs the references' ETTh1 configurations, C = 21 their Weather
// ones (shared/models/timeseries.md §1b, §1c); Pathformer at L = 336 swaps the 32-step patch
// (which does not divide 336) for 24. Counter `windows/s`. bench/torch_timeseries_models.py runs
// the same cases in PyTorch and prints both side by side.
#include "common.hpp"

#include "models/timeseries/patchtst.hpp"
#include "models/timeseries/pathformer.hpp"
#include "optim/adam.hpp"
#include "tensor/ops.hpp"

#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <string>

namespace pf::bench {
namespace {

enum Model { kPatchTST = 0, kPathformer = 1 };

std::unique_ptr<ts::Forecaster> build(Model kind, Index L, Index C) {
  Rng rng(0);
  const ts::ForecastShape shape{L, 96, C};
  if (kind == kPatchTST) {
    ts::PatchTSTConfig c;  // ETTh1 script
    c.shape = shape;
    if (C == 21) c.d_model = 128, c.n_heads = 16, c.d_ff = 256, c.dropout = 0.2;  // Weather
    return std::make_unique<ts::PatchTST>(c, rng);
  }
  ts::PathformerConfig c;  // ETTh1 script
  c.shape = shape;
  if (C == 21) {  // Weather script
    c.d_model = 8, c.k = 2;
    c.patch_sizes = {{16, 12, 8, 4}, {12, 8, 6, 4}, {8, 6, 2, 12}};
  } else if (L % 32 != 0) {
    c.patch_sizes[0] = {16, 12, 8, 24};
  }
  return std::make_unique<ts::Pathformer>(c, rng);
}

struct Case {
  std::unique_ptr<ts::Forecaster> model;
  std::unique_ptr<Adam<float>> adam;
};

Case& get(Model kind, Index L, Index C) {
  static std::map<std::string, Case> cases;
  const std::string key = std::to_string(kind) + "/" + std::to_string(L) + "/" + std::to_string(C);
  auto it = cases.find(key);
  if (it == cases.end()) {
    if (cases.empty()) on_release([] { cases.clear(); });
    Case c;
    c.model = build(kind, L, C);
    c.adam = std::make_unique<Adam<float>>(c.model->named_parameters(), AdamConfig{});
    it = cases.emplace(key, std::move(c)).first;
  }
  return it->second;
}

Tensor<float> batch(const std::string& name, const Shape& shape) {
  return Tensor<float>(cached_vec(name, numel(shape), -2.f, 2.f, 3), shape);
}

// args: model, L, C
void BM_train_step(benchmark::State& state) {
  const auto kind = Model(state.range(0));
  const Index L = state.range(1), C = state.range(2), B = 32;
  Case& c = get(kind, L, C);
  c.model->set_training(true);
  const Tensor<float> x = batch("ts_x", {B, L, C}), y = batch("ts_y", {B, 96, C});
  auto step = [&] {
    c.adam->zero_grad();
    Tensor<float> loss = mse_loss(c.model->forward(x), y);
    const Tensor<float> aux = c.model->auxiliary_loss();
    if (aux.defined()) loss = add(loss, aux);
    loss.backward();
    c.adam->step(1e-4);
  };
  step();  // warm-up: gradient buffers, Adam moments
  for (auto _ : state) {
    step();
    Kokkos::fence();
  }
  state.counters["windows/s"] =
      benchmark::Counter(double(B), benchmark::Counter::kIsIterationInvariantRate);
}

// args: model, L, C, batch
void BM_inference(benchmark::State& state) {
  const auto kind = Model(state.range(0));
  const Index L = state.range(1), C = state.range(2), B = state.range(3);
  Case& c = get(kind, L, C);
  c.model->set_training(false);
  const Tensor<float> x = batch("ts_x", {B, L, C});
  NoGradGuard no_grad;
  c.model->forward(x);
  for (auto _ : state) {
    Tensor<float> out = c.model->forward(x);
    Kokkos::fence();
    benchmark::DoNotOptimize(out.data().data());
  }
  state.counters["windows/s"] =
      benchmark::Counter(double(B), benchmark::Counter::kIsIterationInvariantRate);
}

void train_args(benchmark::internal::Benchmark* b) {
  b->ArgNames({"model", "L", "C"});
  for (int m : {kPatchTST, kPathformer})
    for (int L : {336, 96})
      for (int C : {7, 21})
        b->Args({m, L, C});
}

void inference_args(benchmark::internal::Benchmark* b) {
  b->ArgNames({"model", "L", "C", "B"});
  for (int m : {kPatchTST, kPathformer})
    for (int L : {336, 96})
      for (int C : {7, 21})
        for (int B : {32, 1})
          b->Args({m, L, C, B});
}

BENCHMARK(BM_train_step)
    ->Name("tsmodels/train_step")
    ->Apply(train_args)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_inference)
    ->Name("tsmodels/inference")
    ->Apply(inference_args)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace pf::bench
