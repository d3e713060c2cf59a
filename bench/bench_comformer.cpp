// ComFormer at batch 64 on the synthetic ionic-crystal set (the `simulate` crystals deck's default
// ions and bounds, seed 2026): iComFormer and eComFormer at the reference's sizes (C = 256,
// 256 RBF bins, k = 12), fp32.
//   comformer/<model>/inference: eval mode (running statistics), no graph recorded.
//   comformer/<model>/train_step: training mode, zero_grad, MSE against fixed targets, backward,
//     one Adam step (lr 1e-3): what one step of `train` costs.
//   comformer/graph/build: the periodic graphs of the 64 structures (host, fp64) plus the batch
//     upload with its edge scalars; reported per structure.
// Counter `structures/s`. CPU time is the process's (all threads), to compare when loaded.
// With PF_COMFORMER_STRUCTURES=<file.h5> the 64 structures are written there (lattice [G,3,3],
// frac [N,3], species [N], atom_offsets [G+1]) for bench/torch_comformer.py.
#include "common.hpp"

#include "crystal/periodic_graph.hpp"
#include "io/hdf5.hpp"
#include "models/comformer/ecomformer.hpp"
#include "models/comformer/icomformer.hpp"
#include "optim/adam.hpp"
#include "sim/crystals/ionic_crystals.hpp"
#include "tensor/ops.hpp"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <vector>

namespace pf::bench {
namespace {

constexpr int kBatch = 64;
constexpr std::uint64_t kSeed = 2026;

sim::IonicCrystalConfig crystal_config() {
  sim::IonicCrystalConfig c;
  for (const char* ion :
       {"Li+", "Na+", "K+", "Rb+", "Cs+", "Mg2+", "Ca2+", "Sr2+", "Ba2+", "Al3+", "Y3+"})
    c.cations.push_back(sim::parse_ion(ion, "bench cations"));
  for (const char* ion : {"F-", "Cl-", "Br-", "I-", "O2-", "S2-", "N3-"})
    c.anions.push_back(sim::parse_ion(ion, "bench anions"));
  c.seed = kSeed;
  return c;
}

void export_structures(const std::vector<crystal::Structure>& s, const char* path) {
  std::vector<double> lattice, frac;
  std::vector<std::int64_t> species, offsets{0};
  for (const crystal::Structure& x : s) {
    for (const auto& row : x.lattice)
      lattice.insert(lattice.end(), row.begin(), row.end());
    for (std::size_t a = 0; a < x.species.size(); ++a) {
      frac.insert(frac.end(), x.frac[a].begin(), x.frac[a].end());
      species.push_back(x.species[a]);
    }
    offsets.push_back(std::int64_t(species.size()));
  }
  h5::File f = h5::File::create(path);
  f.write("lattice", lattice, {Index(s.size()), 3, 3});
  f.write("frac", frac, {Index(species.size()), 3});
  f.write("species", species, {Index(species.size())});
  f.write("atom_offsets", offsets, {Index(offsets.size())});
}

const std::vector<crystal::Structure>& structures() {
  static std::vector<crystal::Structure> s;
  if (s.empty()) {
    const sim::IonicCrystalConfig config = crystal_config();
    for (int i = 0; i < kBatch; ++i)
      s.push_back(sim::generate_ionic_crystal(config, std::uint64_t(i)).structure);
    if (const char* path = std::getenv("PF_COMFORMER_STRUCTURES")) export_structures(s, path);
  }
  return s;
}

crystal::PeriodicGraph build_batch() {
  std::vector<crystal::PeriodicGraph> graphs;
  for (const crystal::Structure& s : structures())
    graphs.push_back(crystal::build_periodic_graph(s));
  return crystal::batch_graphs(graphs);
}

const comformer::GraphBatch<float>& batch() {
  static std::unique_ptr<comformer::GraphBatch<float>> b;
  if (!b) {
    b = std::make_unique<comformer::GraphBatch<float>>(
        comformer::make_graph_batch<float>(build_batch(), 119));
    on_release([] { b.reset(); });
  }
  return *b;
}

template <class Model>
Model& model() {
  static std::unique_ptr<Model> m;
  if (!m) {
    Rng rng(0);
    const bool equi = std::is_same_v<Model, comformer::EComformer<float>>;
    m = std::make_unique<Model>(
        equi ? comformer::ecomformer_config() : comformer::icomformer_config(), rng);
    on_release([] { m.reset(); });
  }
  return *m;
}

void set_counters(benchmark::State& state, const comformer::GraphBatch<float>& g) {
  state.counters["structures/s"] =
      benchmark::Counter(double(kBatch) * double(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["atoms"] = double(g.num_nodes);
  state.counters["edges"] = double(g.num_edges);
}

template <class Model>
void BM_inference(benchmark::State& state) {
  const comformer::GraphBatch<float>& g = batch();
  Model& m = model<Model>();
  m.set_training(false);
  NoGradGuard no_grad;
  m.forward(g);  // warm-up: allocator and BLAS thread start
  for (auto _ : state) {
    Tensor<float> y = m.forward(g);
    Kokkos::fence();
    benchmark::DoNotOptimize(y.data().data());
  }
  set_counters(state, g);
}

template <class Model>
void BM_train_step(benchmark::State& state) {
  const comformer::GraphBatch<float>& g = batch();
  Model& m = model<Model>();
  m.set_training(true);
  const Tensor<float> target(cached_vec("comformer_target", kBatch, -2.f, 0.f), {kBatch, 1});
  Adam<float> adam(m.named_parameters(), AdamConfig{});
  const auto step = [&] {
    adam.zero_grad();
    mse_loss(m.forward(g), target).backward();
    NoGradGuard no_grad;
    adam.step(1e-3);
    Kokkos::fence();
  };
  step();  // warm-up
  for (auto _ : state)
    step();
  set_counters(state, g);
}

void BM_graph_build(benchmark::State& state) {
  structures();
  for (auto _ : state) {
    comformer::GraphBatch<float> b = comformer::make_graph_batch<float>(build_batch(), 119);
    Kokkos::fence();
    benchmark::DoNotOptimize(b.src.data());
  }
  state.counters["structures/s"] =
      benchmark::Counter(double(kBatch) * double(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["us/structure"] =
      benchmark::Counter(double(kBatch) * double(state.iterations()) * 1e-6,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

using IModel = comformer::IComformer<float>;
using EModel = comformer::EComformer<float>;

BENCHMARK(BM_graph_build)
    ->Name("comformer/graph/build")
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK_TEMPLATE(BM_inference, IModel)
    ->Name("comformer/icomformer/inference")
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->MinTime(3.0);
BENCHMARK_TEMPLATE(BM_train_step, IModel)
    ->Name("comformer/icomformer/train_step")
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->MinTime(3.0);
BENCHMARK_TEMPLATE(BM_inference, EModel)
    ->Name("comformer/ecomformer/inference")
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->MinTime(3.0);
BENCHMARK_TEMPLATE(BM_train_step, EModel)
    ->Name("comformer/ecomformer/train_step")
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->MinTime(3.0);

}  // namespace
}  // namespace pf::bench
