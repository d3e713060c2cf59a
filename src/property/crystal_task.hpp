// The crystal property task (`task = "crystal"`): its deck, its data (a structure dataset, one
// target, a seeded split, graphs built once), the ComFormer model it trains, the target's
// standardisation, and a trained model brought back from a checkpoint — what `train`,
// `evaluate` and `predict` share.
#pragma once

#include "config/deck.hpp"
#include "core/rng.hpp"
#include "crystal/periodic_graph.hpp"
#include "crystal/structure_dataset.hpp"
#include "models/comformer/graph_batch.hpp"
#include "nn/module.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace pf {

namespace h5 {
class File;
}

inline constexpr const char* kCrystalTaskName = "crystal";

// Every option: data.* (dataset, target, split), graph.*, model.* (iComFormer/eComFormer
// sizes), optim.*, schedule.*, train.*, eval.*, and `task`. Defaults are the reference recipe
// (divelab/AIRS ComFormer train_props.py + train.py).
DeckSchema crystal_task_schema();

// Ranges the schema's types cannot express; InputError naming the key, expected and found.
void validate_crystal_deck(const Deck& deck);

crystal::GraphOptions crystal_graph_options(const Deck& deck);

// Indices into the dataset's structures (those that have the target).
struct CrystalSplit {
  std::vector<std::int64_t> train, valid, test;
};

// data.split = "random": a permutation from data.split_seed; the last test_fraction·n are the
// test set, the valid_fraction·n before them the validation set, the first data.max_train
// (0: all) of the rest the training set. "kfold": test is fold data.fold of data.folds
// contiguous folds of the permutation; validation is taken from the rest as above.
// Structures without the target are left out before the permutation.
CrystalSplit split_structures(const Deck& deck, const crystal::StructureDataset& data,
                              const std::string& target);

// The target's mean and (population) standard deviation over the training structures; the
// model learns (y − mean) / std, as the reference.
struct TargetScaler {
  std::string target, units;
  double mean = 0, std = 1;
  double to_units(double standardized) const { return mean + std * standardized; }
  double standardize(double value) const { return (value - mean) / std; }
};
TargetScaler fit_target_scaler(const crystal::StructureDataset& data, const std::string& target,
                               const std::vector<std::int64_t>& train);

// Graphs of every structure, built once per run (host, fp64), and batched on demand.
class GraphCache {
 public:
  GraphCache(const std::vector<crystal::Structure>& structures, const crystal::GraphOptions& o);
  const crystal::PeriodicGraph& graph(std::int64_t i) const { return graphs_[size_t(i)]; }
  comformer::GraphBatch<float> batch(const std::vector<std::int64_t>& indices,
                                     Index num_species) const;
  double build_seconds() const { return seconds_; }
  std::int64_t total_edges() const;

 private:
  std::vector<crystal::PeriodicGraph> graphs_;
  double seconds_ = 0;
};

// iComFormer or eComFormer behind one face: the module (parameters, modes) and its forward.
struct CrystalModel {
  std::string name;  // "icomformer" | "ecomformer"
  std::shared_ptr<Module<float>> module;
  Index num_species = 0;
  std::function<Tensor<float>(const comformer::GraphBatch<float>&)> node_embeddings;
  std::function<Tensor<float>(const Tensor<float>&, const comformer::GraphBatch<float>&)> readout;
  Tensor<float> forward(const comformer::GraphBatch<float>& g) const {
    return readout(node_embeddings(g), g);
  }
};
CrystalModel make_crystal_model(const Deck& deck, Rng& rng);

// Standardised predictions of the model (eval mode, no gradient) for the structures, in
// batches of `batch_size`; each rank computes every size-th batch and the results are
// gathered on every rank, in the order of `indices`.
std::vector<double> predict_standardized(const CrystalModel& model, const GraphCache& graphs,
                                         const std::vector<std::int64_t>& indices,
                                         Index batch_size);

// Checkpoint extras under /crystal: the scaler, the data path and structure count.
void write_crystal_extras(h5::File& file, const TargetScaler& scaler, const std::string& data,
                          std::int64_t n_structures);

// A model trained by `portaformer train` for this task, with its deck and target scaler.
struct TrainedCrystalModel {
  std::string checkpoint;
  Deck deck;
  std::string deck_toml;
  TargetScaler scaler;
  std::string data_path;  // the dataset it was trained on
  std::int64_t data_structures = 0;
  CrystalModel model;
};

// `path` is a checkpoint file or a run directory (its checkpoint_best.h5 when there is one,
// else its newest checkpoint). InputError naming the file for anything missing.
TrainedCrystalModel load_trained_crystal_model(const std::string& path);

// A structure id as a CSV field: quoted (quotes doubled) when it holds a comma, quote or
// newline, as RFC 4180 and Python's csv module read it.
std::string csv_field(const std::string& text);

// The structures `evaluate` and `predict` work on: `data` (empty: the training dataset); for
// the training dataset the `split` part ("train", "valid", "test" or "all") of the training
// deck's split, for any other dataset every structure. InputError when the training dataset
// no longer holds the structure count it had.
struct CrystalSelection {
  std::string path;
  crystal::StructureDataset data;
  std::vector<std::int64_t> indices;
  std::string part;  // the split part, or "all"
};
CrystalSelection select_structures(const TrainedCrystalModel& trained, const std::string& data,
                                   const std::string& split);

}  // namespace pf
