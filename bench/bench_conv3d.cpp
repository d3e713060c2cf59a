// The 3-D FactFormer's convolution block at 64³ (batch 1, fp32, channels last): the four
// 3×3×3 convolutions (128→64 stride 2 to 32³, 64→64 at 32³, then 64→64 and 64→128 at 64³ after
// the ×2 upsample), InstanceNorm at 64³×128 and the nearest upsample 32³→64³ at 64 channels.
//   fwd      op(x) with no graph
//   fwd_bwd  op(x) recorded, then its backward closure driven by a fixed upstream gradient into
//            preallocated gradient buffers (every input wants a gradient)
// Counters: GFLOPS (convolutions: 2·P·Cout·Cin·27 per forward, 3× that for forward + backward,
// padding taps included as torch counts them), io_MB (input + output), peak_over_start_MB (the
// process's peak RSS minus its RSS before the warm-up run: the op's output, gradient buffers and
// temporaries; run one case per process, since freed memory of an earlier case is reused).
#include "common.hpp"

#include "tensor/ops_conv.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace pf::bench {
namespace {
Tensorf cached_tensor(const std::string& name, const Shape& shape, float bound) {
  return Tensorf(cached_vec(name, numel(shape), -bound, bound), shape);
}

using Op = std::function<Tensorf(const std::vector<Tensorf>&)>;

// Times op on `inputs`; with `backward`, every input requires a gradient and each iteration also
// runs the recorded backward into buffers allocated once.
void run(benchmark::State& state, const std::string& name, const Op& op,
         std::vector<Tensorf> inputs, bool backward, double flop_fwd, double io_bytes) {
  for (auto& t : inputs)
    t = Tensorf(t.data(), t.shape()).set_requires_grad(backward);
  const double start = status_mb("VmRSS");
  const bool reset = reset_peak_rss();
  std::vector<Vec<float>> grad_in(inputs.size());
  if (backward)
    for (size_t i = 0; i < inputs.size(); ++i)
      grad_in[i] = Vec<float>("pf::bench::grad_in", inputs[i].numel());
  const auto once = [&] {
    if (!backward) {
      NoGradGuard no_grad;
      const Tensorf y = op(inputs);
      Kokkos::fence();
      benchmark::DoNotOptimize(y.data().data());
      return;
    }
    const Tensorf y = op(inputs);
    const Vec<float> gy = cached_vec("conv3d_bench_gy", y.numel(), -1.f, 1.f, 7);
    NoGradGuard no_grad;  // as in Tensor::backward
    y.node()->backward(gy, grad_in);
    Kokkos::fence();
    benchmark::DoNotOptimize(grad_in[0].data());
  };
  once();  // warm-up: first-touch of buffers, BLAS thread start
  for (auto _ : state)
    once();
  // Google Benchmark calls a benchmark several times (to size the iteration count) and keeps the
  // last call's counters; later calls reuse memory the first one freed, so keep the largest.
  static std::map<std::string, double> largest;
  double& over = largest[name];
  over = std::max(over, reset ? status_mb("VmHWM") - start : 0.0);
  state.counters["peak_over_start_MB"] = over;
  state.counters["io_MB"] = io_bytes / (1024.0 * 1024.0);
  if (flop_fwd > 0)
    state.counters["GFLOPS"] = benchmark::Counter(flop_fwd * (backward ? 3 : 1) * 1e-9,
                                                  benchmark::Counter::kIsIterationInvariantRate);
}

struct ConvCase {
  const char* name;
  Index n, cin, cout, stride;  // input n³ × cin
};
const ConvCase kConvs[] = {{"down_s2/64x128to32x64", 64, 128, 64, 2},
                           {"mid/32x64to32x64", 32, 64, 64, 1},
                           {"up/64x64to64x64", 64, 64, 64, 1},
                           {"up_out/64x64to64x128", 64, 64, 128, 1}};

void BM_conv3d(benchmark::State& state, const ConvCase& c, bool backward) {
  const Index on = (c.n + 2 - 3) / c.stride + 1;
  const float bound = 1.f / std::sqrt(float(c.cin * 27));
  std::vector<Tensorf> in = {cached_tensor("conv3d_x", {1, c.n, c.n, c.n, c.cin}, 1.f),
                             cached_tensor("conv3d_w", {c.cout, c.cin, 3, 3, 3}, bound),
                             cached_tensor("conv3d_b", {c.cout}, bound)};
  const double P = double(on * on * on);
  const Index stride = c.stride;
  run(
      state, std::string(c.name) + (backward ? "/fwd_bwd" : "/fwd"),
      [stride](const std::vector<Tensorf>& t) {
        return conv3d(t[0], t[1], t[2], stride, Index(1));
      },
      in, backward, 2.0 * P * double(c.cout * c.cin * 27),
      4.0 * (double(c.n * c.n * c.n * c.cin) + P * double(c.cout)));
}

void BM_instance_norm(benchmark::State& state, bool backward) {
  const Shape s{1, 64, 64, 64, 128};
  run(
      state, backward ? "instance_norm/fwd_bwd" : "instance_norm/fwd",
      [](const std::vector<Tensorf>& t) { return instance_norm(t[0]); },
      {cached_tensor("instance_norm_x", s, 1.f)}, backward, 0, 8.0 * double(numel(s)));
}

void BM_upsample(benchmark::State& state, bool backward) {
  const Shape s{1, 32, 32, 32, 64};
  run(
      state, backward ? "upsample/fwd_bwd" : "upsample/fwd",
      [](const std::vector<Tensorf>& t) { return upsample_nearest(t[0], Index(2)); },
      {cached_tensor("upsample_x", s, 1.f)}, backward, 0, 4.0 * 9.0 * double(numel(s)));
}

void register_all() {
  for (const ConvCase& c : kConvs)
    for (bool bwd : {false, true})
      benchmark::RegisterBenchmark(
          (std::string("conv3d/") + (bwd ? "fwd_bwd/" : "fwd/") + c.name).c_str(),
          [c, bwd](benchmark::State& st) { BM_conv3d(st, c, bwd); })
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime()
          ->MinTime(1.0);
  for (bool bwd : {false, true}) {
    benchmark::RegisterBenchmark(
        (std::string("instance_norm3d/") + (bwd ? "fwd_bwd" : "fwd") + "/64x128").c_str(),
        [bwd](benchmark::State& st) { BM_instance_norm(st, bwd); })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->MinTime(1.0);
    benchmark::RegisterBenchmark(
        (std::string("upsample3d/") + (bwd ? "fwd_bwd" : "fwd") + "/32to64x64").c_str(),
        [bwd](benchmark::State& st) { BM_upsample(st, bwd); })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->MinTime(1.0);
  }
}

const bool kRegistered = (register_all(), true);

}  // namespace
}  // namespace pf::bench
