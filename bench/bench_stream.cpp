// Memory-bandwidth reference measured in the same run as the op benchmarks: STREAM-like copy
// (c = a, 8 B/element) and triad (a = b + s·c, 12 B/element) with Kokkos::parallel_for over
// pf::Vec<float>, 64M floats (256 MB) per array, plus Kokkos::deep_copy for comparison.
// Bytes are counted as STREAM does: each array read or written once, no write-allocate.
#include "common.hpp"

#include <benchmark/benchmark.h>

namespace pf::bench {
namespace {

constexpr Index kStreamN = Index(64) << 20;  // 64M floats

void BM_stream_copy(benchmark::State& state) {
  const Vec<float> a = cached_vec("stream_a", kStreamN, 0.f, 1.f, 11);
  const Vec<float> c = cached_vec("stream_c", kStreamN, 0.f, 1.f, 13);
  for (auto _ : state) {
    Kokkos::parallel_for(
        "pf::bench::stream_copy", Kokkos::RangePolicy<ExecSpace>(0, kStreamN),
        KOKKOS_LAMBDA(Index i) { c(i) = a(i); });
    Kokkos::fence();
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(int64_t(2 * sizeof(float)) * kStreamN * state.iterations());
}

void BM_stream_triad(benchmark::State& state) {
  const Vec<float> a = cached_vec("stream_a", kStreamN, 0.f, 1.f, 11);
  const Vec<float> b = cached_vec("stream_b", kStreamN, 0.f, 1.f, 12);
  const Vec<float> c = cached_vec("stream_c", kStreamN, 0.f, 1.f, 13);
  const float s = 0.5f;
  for (auto _ : state) {
    Kokkos::parallel_for(
        "pf::bench::stream_triad", Kokkos::RangePolicy<ExecSpace>(0, kStreamN),
        KOKKOS_LAMBDA(Index i) { a(i) = b(i) + s * c(i); });
    Kokkos::fence();
    benchmark::DoNotOptimize(a.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(int64_t(3 * sizeof(float)) * kStreamN * state.iterations());
}

void BM_stream_deep_copy(benchmark::State& state) {
  const Vec<float> a = cached_vec("stream_a", kStreamN, 0.f, 1.f, 11);
  const Vec<float> c = cached_vec("stream_c", kStreamN, 0.f, 1.f, 13);
  for (auto _ : state) {
    Kokkos::deep_copy(c, a);
    Kokkos::fence();
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(int64_t(2 * sizeof(float)) * kStreamN * state.iterations());
}

BENCHMARK(BM_stream_copy)
    ->Name("stream/copy/64M")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(0.5);
BENCHMARK(BM_stream_triad)
    ->Name("stream/triad/64M")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(0.5);
BENCHMARK(BM_stream_deep_copy)
    ->Name("stream/deep_copy/64M")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(0.5);

}  // namespace
}  // namespace pf::bench
