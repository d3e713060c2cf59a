// pf_bench entry point: Kokkos (and MPI, when built with it) live for the whole run; cached
// benchmark buffers are released before Kokkos is finalised.
#include "common.hpp"

#include <Kokkos_Core.hpp>

#include <benchmark/benchmark.h>

#include "core/runtime.hpp"

#include <fstream>
#include <map>
#include <vector>

namespace pf::bench {
namespace {
std::map<std::string, Vec<float>>& cache() {
  static std::map<std::string, Vec<float>> c;
  return c;
}
}  // namespace

void fill_hashed(const Vec<float>& v, float lo, float hi, std::uint32_t seed) {
  const float scale = (hi - lo) / 16777216.f;  // 2^24 buckets
  Kokkos::parallel_for(
      "pf::bench::fill", Kokkos::RangePolicy<ExecSpace>(0, Index(v.extent(0))),
      KOKKOS_LAMBDA(Index i) {
        std::uint32_t h = std::uint32_t(i) * 2654435761u ^ (seed * 0x9E3779B9u);
        h ^= h >> 15;
        h *= 0x2C1B3C6Du;
        h ^= h >> 12;
        h *= 0x297A2D39u;
        h ^= h >> 15;
        v(i) = lo + float(h >> 8) * scale;
      });
  Kokkos::fence();
}

Vec<float> cached_vec(const std::string& name, Index n, float lo, float hi, std::uint32_t seed) {
  const std::string key = name + "#" + std::to_string(n);
  auto it = cache().find(key);
  if (it != cache().end()) return it->second;
  Vec<float> v(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::bench::" + name), n);
  fill_hashed(v, lo, hi, seed);
  cache().emplace(key, v);
  return v;
}

static std::vector<std::function<void()>>& releases() {
  static std::vector<std::function<void()>> r;
  return r;
}

void on_release(std::function<void()> release) {
  releases().push_back(std::move(release));
}

void release_buffers() {
  cache().clear();
  for (auto& r : releases())
    r();
  releases().clear();
}

double status_mb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string key = std::string(field) + ":";
  while (std::getline(in, line))
    if (line.compare(0, key.size(), key) == 0) return std::stod(line.substr(key.size())) / 1024.0;
  return 0.0;
}

bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  return bool(out);
}

}  // namespace pf::bench

int main(int argc, char** argv) {
  pf::ProcessRuntime runtime(argc, argv);
  Kokkos::ScopeGuard kokkos(argc, argv);
  pf::balance_host_threads();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  pf::bench::release_buffers();  // before Kokkos finalises
  return 0;
}
