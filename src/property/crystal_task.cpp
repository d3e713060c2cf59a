#include "property/crystal_task.hpp"

#include "core/error.hpp"
#include "core/rng.hpp"
#include "io/hdf5.hpp"
#include "models/comformer/ecomformer.hpp"
#include "models/comformer/icomformer.hpp"
#include "parallel/comm.hpp"
#include "tensor/ops.hpp"
#include "train/checkpoint.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <numeric>

namespace pf {

DeckSchema crystal_task_schema() {
  using O = OptionType;
  DeckSchema s("crystal",
               "Train iComFormer or eComFormer to predict one per-structure property of a "
               "structure dataset (`portaformer import-structures`, or `simulate` with "
               "simulator = \"crystals\") with the reference recipe (divelab/AIRS ComFormer): "
               "MSE on the standardised target, AdamW without decay on biases and norms, "
               "one-cycle learning rate, batch 64, 500 epochs, validation MAE each epoch.");
  s.add({"task",
         O::String,
         "\"crystal\"",
         "what to train",
         {"factformer2d", "factformer3d", "mlp_demo", "forecast", "crystal"}});
  s.add({"data.path", O::String, "\"\"", "structure dataset (HDF5, required)"});
  s.add({"data.target", O::String, "\"\"", "the target to learn: a name in /targets (required)"});
  s.add({"data.split",
         O::String,
         "\"random\"",
         "random: seeded permutation, test and validation fractions at its end; kfold: test is "
         "fold data.fold of data.folds",
         {"random", "kfold"}});
  s.add({"data.valid_fraction", O::Float, "0.1",
         "share of the structures for validation (the reference's val_ratio)"});
  s.add({"data.test_fraction", O::Float, "0.1",
         "random split: share of the structures for testing (the reference's test_ratio)"});
  s.add({"data.split_seed", O::Int, "123", "seed of the permutation (the reference's seed)"});
  s.add({"data.max_train", O::Int, "0",
         "use only the first this many training structures (0: all); the test set does not "
         "change, for learning curves"});
  s.add({"data.folds", O::Int, "5", "kfold split: number of folds"});
  s.add({"data.fold", O::Int, "0", "kfold split: the fold held out for testing (from 0)"});
  s.add({"graph.max_neighbors", O::Int, "25",
         "k of the k-nearest-neighbour graph (the reference's training scripts: 25)"});
  s.add({"graph.cutoff", O::Float, "4.0", "first neighbour search radius in Å (grown as needed)"});
  s.add({"graph.use_lattice", O::Bool, "true", "lattice self-loop edges (use_lattice)"});
  s.add(
      {"model.name", O::String, "\"icomformer\"", "which ComFormer", {"icomformer", "ecomformer"}});
  s.add({"model.node_features", O::Int, "256", "node and edge channels C"});
  s.add({"model.fc_features", O::Int, "256", "hidden width of the readout"});
  s.add({"model.atom_input_features", O::Int, "92", "width of the learned per-element table"});
  s.add({"model.edge_features", O::Int, "256", "Gaussians of the distance expansion"});
  s.add({"model.triplet_input_features", O::Int, "256", "Gaussians of the angle expansion"});
  s.add({"model.conv_layers", O::Int, "0",
         "attention layers (0: the reference's 4 for iComFormer, 3 for eComFormer)"});
  s.add({"model.equi_scalars", O::Int, "64", "eComFormer: scalars of the equivariant layer"});
  s.add({"model.equi_vectors", O::Int, "8", "eComFormer: copies of l = 1 and l = 2"});
  s.add({"model.seed", O::Int, "123", "seed of the weight initialisation"});
  s.add({"optim.name", O::String, "\"adamw\"", "optimizer", {"adam", "adamw"}});
  s.add({"optim.lr", O::Float, "1e-3", "peak learning rate (reference: 1e-3)"});
  s.add({"optim.beta1", O::Float, "0.9", "Adam β₁ (onecycle cycles it between 0.85 and 0.95)"});
  s.add({"optim.beta2", O::Float, "0.999", "Adam β₂"});
  s.add({"optim.eps", O::Float, "1e-8", "Adam ε"});
  s.add({"optim.weight_decay", O::Float, "1e-5", "decoupled weight decay (reference: 1e-5)"});
  s.add({"optim.decay_biases_and_norms", O::Bool, "false",
         "also decay 1-D parameters (the reference's group_decay exempts biases and norms)"});
  s.add({"schedule.kind",
         O::String,
         "\"onecycle\"",
         "learning-rate schedule",
         {"constant", "cosine", "onecycle"}});
  s.add({"schedule.pct_start", O::Float, "0.3", "onecycle: share of steps rising (reference 0.3)"});
  s.add({"schedule.div_factor", O::Float, "25.0", "onecycle: initial lr = lr / div_factor"});
  s.add({"schedule.final_div_factor", O::Float, "1e4",
         "onecycle: final lr = initial lr / final_div_factor"});
  s.add({"schedule.warmup_steps", O::Int, "0", "cosine: linear warm-up steps"});
  s.add({"schedule.min_lr", O::Float, "0.0", "cosine: final learning rate"});
  s.add({"train.epochs", O::Int, "500", "epochs (reference: 500)"});
  s.add({"train.max_steps", O::Int, "0",
         "stop after this many optimizer steps (0: epochs × batches); the schedule still spans "
         "the epochs — for smoke tests"});
  s.add({"train.batch_size", O::Int, "64",
         "global batch of structures; an epoch's incomplete last batch is skipped"});
  s.add({"train.seed", O::Int, "123", "seed of the batch order"});
  s.add({"train.clip_grad_norm", O::Float, "0.0", "clip the global gradient norm (≤ 0: off)"});
  s.add({"train.checkpoint_every", O::Int, "0", "steps between checkpoints (0: every epoch)"});
  s.add({"train.keep_checkpoints", O::Int, "2", "periodic checkpoints kept on disk"});
  s.add({"train.validate_every", O::Int, "0", "steps between validations (0: every epoch)"});
  s.add({"train.kill_at_step", O::Int, "0",
         "testing aid: the process kills itself (SIGKILL) after this step, to exercise --resume"});
  s.add({"eval.batch_size", O::Int, "64", "structures per forward pass in validation and tests"});
  return s;
}

namespace {
[[noreturn]] void bad(const Deck& deck, const std::string& key, const std::string& expected,
                      const std::string& found) {
  throw InputError("deck " + deck.source() + ": option '" + key + "': expected " + expected +
                   ", found " + found);
}
}  // namespace

void validate_crystal_deck(const Deck& deck) {
  const auto at_least = [&](const char* key, std::int64_t min) {
    if (deck.get_int(key) < min)
      bad(deck, key, "at least " + std::to_string(min), std::to_string(deck.get_int(key)));
  };
  for (const char* key : {"model.node_features", "model.fc_features", "model.atom_input_features",
                          "model.edge_features", "model.triplet_input_features",
                          "model.equi_scalars", "model.equi_vectors", "train.epochs",
                          "train.batch_size", "eval.batch_size", "graph.max_neighbors"})
    at_least(key, 1);
  for (const char* key :
       {"model.conv_layers", "data.max_train", "train.max_steps", "train.checkpoint_every",
        "train.validate_every", "train.kill_at_step", "data.fold"})
    at_least(key, 0);
  at_least("train.keep_checkpoints", 1);
  at_least("data.folds", 2);
  if (deck.get_int("data.fold") >= deck.get_int("data.folds"))
    bad(deck, "data.fold",
        "a fold below data.folds = " + std::to_string(deck.get_int("data.folds")),
        std::to_string(deck.get_int("data.fold")));
  const double v = deck.get_float("data.valid_fraction"), t = deck.get_float("data.test_fraction");
  if (!(v >= 0 && v < 1))
    bad(deck, "data.valid_fraction", "a share in [0, 1)", fmt::format("{}", v));
  if (!(t >= 0 && t < 1))
    bad(deck, "data.test_fraction", "a share in [0, 1)", fmt::format("{}", t));
  if (deck.get_string("data.split") == "random" && !(v + t < 1))
    bad(deck, "data.test_fraction",
        "a share leaving training structures (valid + test < 1, valid = " + fmt::format("{}", v) +
            ")",
        fmt::format("{}", t));
  if (!(deck.get_float("optim.lr") > 0))
    bad(deck, "optim.lr", "a positive learning rate",
        fmt::format("{}", deck.get_float("optim.lr")));
  if (!(deck.get_float("graph.cutoff") > 0))
    bad(deck, "graph.cutoff", "a positive radius in Å",
        fmt::format("{}", deck.get_float("graph.cutoff")));
  if (deck.get_string("model.name") == "icomformer" && deck.get_int("model.conv_layers") == 1)
    bad(deck, "model.conv_layers",
        "0 or at least 2 for iComFormer (one layer before the edge "
        "update)",
        "1");
}

crystal::GraphOptions crystal_graph_options(const Deck& deck) {
  crystal::GraphOptions o;
  o.max_neighbors = int(deck.get_int("graph.max_neighbors"));
  o.cutoff = deck.get_float("graph.cutoff");
  o.use_lattice = deck.get_bool("graph.use_lattice");
  return o;
}

CrystalSplit split_structures(const Deck& deck, const crystal::StructureDataset& data,
                              const std::string& target) {
  std::vector<std::int64_t> order;
  for (size_t i = 0; i < data.structures.size(); ++i)
    if (data.structures[i].properties.count(target)) order.push_back(std::int64_t(i));
  Rng rng(std::uint64_t(deck.get_int("data.split_seed")));
  rng.shuffle(order.begin(), order.end());
  const auto n = std::int64_t(order.size());
  const auto share = [](std::int64_t count, double fraction) {
    return std::int64_t(std::llround(fraction * double(count)));
  };
  CrystalSplit split;
  std::vector<std::int64_t> rest;
  if (deck.get_string("data.split") == "kfold") {
    const std::int64_t k = deck.get_int("data.folds"), f = deck.get_int("data.fold");
    if (n < k)
      throw InputError(
          fmt::format("deck {}: option 'data.folds': expected at most the {} "
                      "structures with target '{}', found {}",
                      deck.source(), n, target, k));
    const std::int64_t lo = f * n / k, hi = (f + 1) * n / k;
    split.test.assign(order.begin() + lo, order.begin() + hi);
    rest.assign(order.begin(), order.begin() + lo);
    rest.insert(rest.end(), order.begin() + hi, order.end());
  } else {
    const std::int64_t n_test = share(n, deck.get_float("data.test_fraction"));
    split.test.assign(order.end() - n_test, order.end());
    rest.assign(order.begin(), order.end() - n_test);
  }
  const std::int64_t n_valid = share(n, deck.get_float("data.valid_fraction"));
  const auto m = std::int64_t(rest.size());
  split.valid.assign(rest.end() - std::min(n_valid, m), rest.end());
  split.train.assign(rest.begin(), rest.end() - std::min(n_valid, m));
  const std::int64_t max_train = deck.get_int("data.max_train");
  if (max_train > 0 && max_train < std::int64_t(split.train.size())) split.train.resize(max_train);
  return split;
}

TargetScaler fit_target_scaler(const crystal::StructureDataset& data, const std::string& target,
                               const std::vector<std::int64_t>& train) {
  TargetScaler s;
  s.target = target;
  const auto u = data.units.find(target);
  s.units = u == data.units.end() ? "" : u->second;
  double sum = 0, sq = 0;
  for (std::int64_t i : train)
    sum += data.structures[size_t(i)].properties.at(target);
  s.mean = train.empty() ? 0.0 : sum / double(train.size());
  for (std::int64_t i : train) {
    const double d = data.structures[size_t(i)].properties.at(target) - s.mean;
    sq += d * d;
  }
  s.std = train.empty() ? 0.0 : std::sqrt(sq / double(train.size()));
  // A constant target would divide by zero; it is then learned unscaled around its mean.
  if (!(s.std > 0)) s.std = 1.0;
  return s;
}

GraphCache::GraphCache(const std::vector<crystal::Structure>& structures,
                       const crystal::GraphOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  graphs_.reserve(structures.size());
  for (const crystal::Structure& s : structures)
    graphs_.push_back(crystal::build_periodic_graph(s, o));
  seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

comformer::GraphBatch<float> GraphCache::batch(const std::vector<std::int64_t>& indices,
                                               Index num_species) const {
  std::vector<crystal::PeriodicGraph> parts;
  parts.reserve(indices.size());
  for (std::int64_t i : indices)
    parts.push_back(graphs_[size_t(i)]);
  return comformer::make_graph_batch<float>(crystal::batch_graphs(parts), num_species);
}

std::int64_t GraphCache::total_edges() const {
  std::int64_t e = 0;
  for (const auto& g : graphs_)
    e += g.num_edges();
  return e;
}

CrystalModel make_crystal_model(const Deck& deck, Rng& rng) {
  const std::string name = deck.get_string("model.name");
  comformer::ComformerConfig c =
      name == "icomformer" ? comformer::icomformer_config() : comformer::ecomformer_config();
  c.node_features = deck.get_int("model.node_features");
  c.fc_features = deck.get_int("model.fc_features");
  c.atom_input_features = deck.get_int("model.atom_input_features");
  c.edge_features = deck.get_int("model.edge_features");
  c.triplet_input_features = deck.get_int("model.triplet_input_features");
  if (deck.get_int("model.conv_layers") > 0) c.conv_layers = deck.get_int("model.conv_layers");
  c.equi_scalars = deck.get_int("model.equi_scalars");
  c.equi_vectors = deck.get_int("model.equi_vectors");
  CrystalModel m;
  m.name = name;
  m.num_species = c.num_species;
  if (name == "icomformer") {
    auto model = std::make_shared<comformer::IComformer<float>>(c, rng);
    m.node_embeddings = [model](const comformer::GraphBatch<float>& g) {
      return model->node_embeddings(g);
    };
    m.readout = [model](const Tensor<float>& h, const comformer::GraphBatch<float>& g) {
      return model->readout(h, g);
    };
    m.module = model;
  } else {
    auto model = std::make_shared<comformer::EComformer<float>>(c, rng);
    m.node_embeddings = [model](const comformer::GraphBatch<float>& g) {
      return model->node_embeddings(g);
    };
    m.readout = [model](const Tensor<float>& h, const comformer::GraphBatch<float>& g) {
      return model->readout(h, g);
    };
    m.module = model;
  }
  return m;
}

std::vector<double> predict_standardized(const CrystalModel& model, const GraphCache& graphs,
                                         const std::vector<std::int64_t>& indices,
                                         Index batch_size) {
  NoGradGuard no_grad;
  const Comm comm = Comm::world();
  const auto n = Index(indices.size());
  Vec<double> out("pf::crystal::predictions", size_t(n));
  auto host = Kokkos::create_mirror_view(out);
  Kokkos::deep_copy(host, 0.0);
  Index batch_no = 0;
  for (Index start = 0; start < n; start += batch_size, ++batch_no) {
    if (batch_no % comm.size() != comm.rank()) continue;
    const Index end = std::min(n, start + batch_size);
    const std::vector<std::int64_t> part(indices.begin() + start, indices.begin() + end);
    const std::vector<float> y = model.forward(graphs.batch(part, model.num_species)).to_host();
    for (Index i = start; i < end; ++i)
      host(size_t(i)) = double(y[size_t(i - start)]);
  }
  Kokkos::deep_copy(out, host);
  comm.allreduce_sum(out);
  Kokkos::deep_copy(host, out);
  return std::vector<double>(host.data(), host.data() + n);
}

void write_crystal_extras(h5::File& file, const TargetScaler& scaler, const std::string& data,
                          std::int64_t n_structures) {
  file.ensure_group("/crystal");
  file.set_string_attr("/crystal", "target", scaler.target);
  file.set_string_attr("/crystal", "units", scaler.units);
  file.set_double_attr("/crystal", "target_mean", scaler.mean);
  file.set_double_attr("/crystal", "target_std", scaler.std);
  file.set_string_attr("/crystal", "data_path", data);
  file.set_int_attr("/crystal", "data_structures", n_structures);
}

TrainedCrystalModel load_trained_crystal_model(const std::string& path) {
  const std::string file = best_or_latest_checkpoint(path);
  const Checkpoint checkpoint = read_checkpoint(file);
  Deck deck = Deck::resolve_text(crystal_task_schema(), checkpoint.config_toml,
                                 "checkpoint " + file + " (attribute config)", {});
  const h5::File h5file = h5::File::open_read(file);
  for (const char* attr : {"target", "target_mean", "target_std", "data_path"})
    if (!h5file.exists("/crystal") || !h5file.has_attr("/crystal", attr))
      throw InputError(file + ": /crystal attribute '" + attr +
                       "': expected the target's standardisation (written by `portaformer "
                       "train` for task = \"crystal\"), found none");
  TargetScaler scaler;
  scaler.target = h5file.string_attr("/crystal", "target");
  scaler.units = h5file.string_attr("/crystal", "units");
  scaler.mean = h5file.double_attr("/crystal", "target_mean");
  scaler.std = h5file.double_attr("/crystal", "target_std");
  Rng rng(0);  // the weights come from the checkpoint
  CrystalModel model = make_crystal_model(deck, rng);
  std::vector<NamedTensor> targets;
  for (const auto& [name, tensor] : model.module->state_dict())
    targets.push_back({name, tensor});
  load_params(file, targets);
  model.module->set_training(false);
  return {file,
          std::move(deck),
          checkpoint.config_toml,
          scaler,
          h5file.string_attr("/crystal", "data_path"),
          h5file.int_attr("/crystal", "data_structures"),
          std::move(model)};
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text)
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

CrystalSelection select_structures(const TrainedCrystalModel& trained, const std::string& data,
                                   const std::string& split) {
  CrystalSelection sel;
  sel.path = data.empty() ? trained.data_path : data;
  sel.data = crystal::read_structure_dataset(sel.path);
  std::error_code ec;
  const bool training_data =
      data.empty() || std::filesystem::equivalent(data, trained.data_path, ec);
  if (!training_data || split == "all") {
    sel.part = "all";
    sel.indices.resize(sel.data.structures.size());
    std::iota(sel.indices.begin(), sel.indices.end(), std::int64_t(0));
    return sel;
  }
  if (std::int64_t(sel.data.structures.size()) != trained.data_structures)
    throw InputError(fmt::format(
        "{}: expected the {} structures the model was trained on "
        "(checkpoint {}), found {}: the split cannot be redrawn "
        "(pass --split all to use every structure)",
        sel.path, trained.data_structures, trained.checkpoint, sel.data.structures.size()));
  const CrystalSplit s = split_structures(trained.deck, sel.data, trained.scaler.target);
  sel.part = split;
  sel.indices = split == "train" ? s.train : split == "valid" ? s.valid : s.test;
  return sel;
}

}  // namespace pf
