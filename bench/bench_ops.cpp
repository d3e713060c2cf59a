// Memory-bound ops through the public Tensor API: LayerNorm (with weight and bias) on
// [65536, 128], softmax along the last axis of [4096, 1024], exact GELU on 16M elements.
//
// Per op, four benchmarks:
//   fwd            op(x) with no gradient recording (inference path, includes allocating y).
//   bwd            the op's recorded backward closure alone, driven by a precomputed upstream
//                  gradient gy into preallocated gradient buffers (what Tensor::backward calls
//                  for this node, without the graph walk and buffer allocation around it).
//   fwd_bwd_chain  sum_all(mul(op(x), w)).backward() with x a leaf (a training step's view).
//   chain_base     sum_all(mul(x, w)).backward() alone; chain − base = the op's fwd+bwd share.
// Bytes (SetBytesProcessed, fwd and bwd only) are the op's minimal traffic, to compare with the
// stream/* figures: fwd reads x and writes y (8 B/element); bwd reads x (softmax: y) and gy and
// writes gx (12 B/element). Our backward accumulates into gx (one more read) and LayerNorm's
// weight/bias gradients take a second pass over x and gy; those are not counted.
// The chain benchmarks carry op_bytes = 20 B/element for the derived GB/s (bench/summarize.py).
#include "common.hpp"
#include "tensor/ops.hpp"

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

namespace pf::bench {
namespace {

enum class Op { LayerNorm, Softmax, Gelu };

struct OpCase {
  Op op;
  const char* name;
  Shape shape;
};

const OpCase kLayerNorm{Op::LayerNorm, "layer_norm/65536x128", {65536, 128}};
const OpCase kSoftmax{Op::Softmax, "softmax/4096x1024", {4096, 1024}};
const OpCase kGelu{Op::Gelu, "gelu/16M", {Index(16) << 20}};

constexpr double kFwdBytesPerElem = 8, kBwdBytesPerElem = 12;

// Input x (a fresh Tensor over a cached View), affine parameters for LayerNorm.
struct Inputs {
  Tensorf x, weight, bias, w;
  Index numel = 0;
};

Inputs make_inputs(const OpCase& c, bool requires_grad) {
  Inputs in;
  in.numel = pf::numel(c.shape);
  const std::string tag(c.name);
  in.x = Tensorf(cached_vec("ops_x_" + tag, in.numel, -3.f, 3.f, 21), c.shape);
  in.w = Tensorf(cached_vec("ops_w_" + tag, in.numel, -1.f, 1.f, 22), c.shape);
  if (c.op == Op::LayerNorm) {
    const Index D = c.shape.back();
    in.weight = Tensorf(cached_vec("ops_lnw", D, 0.5f, 1.5f, 23), {D}).clone();
    in.bias = Tensorf(cached_vec("ops_lnb", D, -0.5f, 0.5f, 24), {D}).clone();
  }
  if (requires_grad) {
    in.x.set_requires_grad(true);
    if (in.weight.defined()) in.weight.set_requires_grad(true);
    if (in.bias.defined()) in.bias.set_requires_grad(true);
  }
  return in;
}

Tensorf apply(const OpCase& c, const Inputs& in) {
  switch (c.op) {
    case Op::LayerNorm:
      return layer_norm(in.x, in.weight, in.bias, 1e-5f);
    case Op::Softmax:
      return softmax(in.x, -1);
    case Op::Gelu:
      return gelu(in.x);
  }
  return {};
}

void BM_fwd(benchmark::State& state, const OpCase& c) {
  const Inputs in = make_inputs(c, false);
  for (auto _ : state) {
    Tensorf y = apply(c, in);
    Kokkos::fence();
    benchmark::DoNotOptimize(y.data().data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(int64_t(kFwdBytesPerElem * double(in.numel)) * state.iterations());
}

void BM_bwd(benchmark::State& state, const OpCase& c) {
  const Inputs in = make_inputs(c, true);
  const Tensorf y = apply(c, in);
  const std::shared_ptr<Node<float>> node = y.node();
  if (!node || !node->backward) {
    state.SkipWithError("op recorded no backward");
    return;
  }
  const Vec<float> gy = cached_vec(std::string("ops_gy_") + c.name, in.numel, -1.f, 1.f, 25);
  std::vector<Vec<float>> grad_in(node->next.size());
  for (size_t i = 0; i < node->next.size(); ++i)
    if (node->next[i]) grad_in[i] = Vec<float>("pf::bench::grad_in", node->next[i]->out_numel);
  NoGradGuard no_grad;  // as in Tensor::backward: backward kernels must not record
  for (auto _ : state) {
    node->backward(gy, grad_in);
    Kokkos::fence();
    benchmark::DoNotOptimize(grad_in[0].data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(int64_t(kBwdBytesPerElem * double(in.numel)) * state.iterations());
}

void BM_chain(benchmark::State& state, const OpCase& c, bool with_op) {
  const Inputs in = make_inputs(c, true);
  for (auto _ : state) {
    const Tensorf z = with_op ? apply(c, in) : in.x;
    Tensorf loss = sum_all(mul(z, in.w));
    loss.backward();
    Kokkos::fence();
    benchmark::DoNotOptimize(in.x.grad().data());
    benchmark::ClobberMemory();
  }
  state.counters["elems"] = double(in.numel);
  if (with_op)
    state.counters["op_bytes"] = (kFwdBytesPerElem + kBwdBytesPerElem) * double(in.numel);
}

const bool registered = [] {
  for (const OpCase* c : {&kLayerNorm, &kSoftmax, &kGelu}) {
    const std::string n = c->name;
    const auto add = [&](const std::string& name, auto&& fn) {
      benchmark::RegisterBenchmark(("ops/" + name).c_str(), fn)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime()
          ->MinTime(1.0);
    };
    add(n + "/fwd", [c](benchmark::State& s) { BM_fwd(s, *c); });
    add(n + "/bwd", [c](benchmark::State& s) { BM_bwd(s, *c); });
    add(n + "/fwd_bwd_chain", [c](benchmark::State& s) { BM_chain(s, *c, true); });
    add(n + "/chain_base", [c](benchmark::State& s) { BM_chain(s, *c, false); });
  }
  return true;
}();

}  // namespace
}  // namespace pf::bench
