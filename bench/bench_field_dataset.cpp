// Read throughput of training batches from a Well-layout file: 8 windows of 10 input + 16 target
// frames at 256², drawn at random as the training loop's sampler draws them. The file (vorticity
// [4, 64, 256, 256] fp32, one frame per chunk, as our simulator stores it) is written once per
// run under the system temp dir, in two storages: contiguous chunks and shuffle + deflate.
// The file sits in the page cache after writing, so this measures the reader (HDF5 selection,
// decompression, interleaving, finite check, normalisation), not the disk.
#include "core/rng.hpp"
#include "data/window_dataset.hpp"
#include "io/hdf5.hpp"

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <filesystem>

namespace pf::bench {
namespace {

constexpr Index kTraj = 4, kSteps = 64, kN = 256, kBatch = 8, kIn = 10, kOut = 16;

// A smooth field with a little hashed noise: compresses like simulation output, not like noise.
std::string field_file(bool compressed) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            (compressed ? "pf_bench_field_deflate.h5" : "pf_bench_field_raw.h5"))
                               .string();
  // Written on first use, removed when the program exits (they are ~110 MB together).
  struct Written {
    bool done[2] = {false, false};
    std::string paths[2];
    ~Written() {
      for (const auto& p : paths)
        if (!p.empty()) std::filesystem::remove(p);
    }
  };
  static Written written;
  if (written.done[compressed]) return path;
  auto file = h5::File::create(path);
  file.ensure_group("/dimensions");
  file.set_string_array_attr("/dimensions", "spatial_dims", {"x", "y"});
  std::vector<float> axis(kN), time(kSteps);
  for (Index i = 0; i < kN; ++i)
    axis[size_t(i)] = float(2 * M_PI * double(i) / kN);
  for (Index t = 0; t < kSteps; ++t)
    time[size_t(t)] = float(t) / 32;
  file.write("/dimensions/x", axis, {kN});
  file.write("/dimensions/y", axis, {kN});
  file.write("/dimensions/time", time, {kSteps});
  const Shape shape{kTraj, kSteps, kN, kN};
  file.create_dataset<float>("/t0_fields/vorticity", shape,
                             {{1, 1, kN, kN}, compressed, compressed ? 4 : 0});
  file.set_string_array_attr("/t0_fields", "field_names", {"vorticity"});
  std::vector<float> frame(size_t(kN * kN));
  Rng rng(3);
  for (Index b = 0; b < kTraj; ++b)
    for (Index t = 0; t < kSteps; ++t) {
      for (Index i = 0; i < kN; ++i)
        for (Index j = 0; j < kN; ++j)
          frame[size_t(i * kN + j)] = float(std::sin(4 * axis[size_t(i)] + 0.1 * double(t)) *
                                                std::cos(3 * axis[size_t(j)] + double(b)) +
                                            1e-3 * rng.uniform());
      file.write_slab("/t0_fields/vorticity", {b, t, 0, 0}, {1, 1, kN, kN}, frame.data());
    }
  file.close();
  written.done[compressed] = true;
  written.paths[compressed] = path;
  return path;
}

void BM_field_batch(benchmark::State& state) {
  const bool compressed = state.range(0) != 0;
  auto reader =
      std::make_shared<const data::FieldReader>(field_file(compressed), std::vector<std::string>{});
  data::WindowDataset windows(reader, {0, 1, 2, 3}, {kIn, kOut, 1}, {{"vorticity"}, {0.0}, {0.5}});
  Rng rng(7);
  for (auto _ : state) {
    std::vector<std::int64_t> indices;
    for (Index s = 0; s < kBatch; ++s)
      indices.push_back(std::int64_t(rng.below(std::uint64_t(windows.size()))));
    auto batch = windows.read_batch(indices);
    benchmark::DoNotOptimize(batch.in.data().data());
  }
  const Index bytes = kBatch * (kIn + kOut) * kN * kN * Index(sizeof(float));
  state.SetBytesProcessed(bytes * state.iterations());
  state.counters["batch_MB"] = double(bytes) / 1e6;
}
BENCHMARK(BM_field_batch)
    ->Name("field_dataset/batch_8x26x256x256")
    ->ArgName("deflate")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace pf::bench
