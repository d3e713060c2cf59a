// Field tasks: what `train`, `predict` and `evaluate` share. A task (the deck's `task`) names a
// model family and its recipe — deck schema with the reference's defaults, model factory, loss,
// the number of spatial axes of its data — and the code around it (data, training loop,
// rollouts, outputs) is the same for all of them.
#pragma once

#include "config/deck.hpp"
#include "core/rng.hpp"
#include "data/field_reader.hpp"
#include "data/normalization.hpp"
#include "data/split.hpp"
#include "io/hdf5.hpp"
#include "surrogate/field_loss.hpp"
#include "surrogate/field_model.hpp"
#include "surrogate/wall_velocity.hpp"

#include <memory>
#include <string>
#include <vector>

namespace pf {

struct FieldTask {
  std::string name;         // the deck's `task`
  std::string model_name;   // for logs, e.g. "FactFormer-2D"
  Index spatial_rank = 2;   // spatial axes of the data
  Index grid_multiple = 1;  // every grid extent must be a multiple of this (strided convolutions)
  FieldLossKind loss = FieldLossKind::WholeFrames;
  DeckSchema (*schema)() = nullptr;
  // The model's latent-step limit, its options checked (InputError naming the key).
  Index (*max_latent_steps)(const Deck&) = nullptr;
  // A model for data with `channels` channels; InputError when the deck's model options do not
  // fit the data (naming the key, expected and found).
  std::unique_ptr<FieldModel> (*make_model)(const Deck&, Index channels, Rng&) = nullptr;
};

// Every field task, in the order `--help` lists them.
const std::vector<FieldTask>& field_tasks();
// nullptr when `name` is not a field task.
const FieldTask* find_field_task(const std::string& name);
// The deck's task; a deck resolved with a field task's schema always names one.
const FieldTask& field_task_of(const Deck& deck);

// The reference recipe's defaults that differ between tasks.
struct FieldRecipe {
  const char* in_steps;
  const char* lr;
  const char* pct_start;
  const char* clip_grad_norm;
  const char* batch_size;
  const char* steps;
  const char* pushforward_after;
  const char* pushforward_rollouts;
  const char* fields;  // TOML literal of data.fields
  const char* source;  // the reference script the defaults come from
};

// Every option a field task shares — `task`, data.*, model.seed, optim.*, schedule.*, train.*,
// eval.* — with the recipe's defaults. The task adds its model.* options.
void add_field_task_options(DeckSchema& schema, const FieldRecipe& recipe);

// The schema of the task named `name` (InputError listing the tasks if there is none).
DeckSchema field_task_schema(const std::string& name = "factformer2d");

// Ranges the schema's types cannot express; InputError naming the key, expected and found.
void validate_field_deck(const Deck& deck);

// "vorticity, velocity" -> {"vorticity", "velocity"}; "" -> {} (every field of the file).
std::vector<std::string> parse_field_list(const std::string& text);

struct FieldData {
  std::shared_ptr<const data::FieldReader> reader;
  data::TrajectorySplit split;
};

// Opens data.path (or `path_override`), checks it has the task's number of spatial axes and
// enough frames for the deck's windows, and splits its trajectories as the deck says.
FieldData open_field_data(const Deck& deck, const std::string& path_override = "");

// InputError naming `path` when `info` does not have the task's number of spatial axes or grid
// multiple; `whose` says for what ("task factformer3d", "the model of <checkpoint>").
void check_field_grid(const FieldTask& task, const data::FieldFileInfo& info,
                      const std::string& path, const std::string& whose);

// The wall values the deck imposes on data like `info` (none for tasks without the option).
std::shared_ptr<const WallVelocity> field_walls(const Deck& deck, const data::FieldFileInfo& info,
                                                const data::Normalization& norm);

// The `task` of a deck's TOML text (e.g. a checkpoint's config); "factformer2d" when it names
// none, since decks before the task table had no other field task.
std::string task_in_toml(const std::string& toml_text, const std::string& source);

// A model trained by `portaformer train`, with the deck it was trained under and the
// normalisation of its training data.
struct TrainedFieldModel {
  std::string checkpoint;
  Deck deck;
  std::string deck_toml;  // the deck as the training run wrote it (with its provenance comments)
  const FieldTask* task = nullptr;
  data::Normalization normalization;
  std::shared_ptr<FieldModel> model;
};

// `path` is a checkpoint file, or a run directory (its newest checkpoint). Missing or mismatched
// pieces are InputErrors naming the file.
TrainedFieldModel load_trained_field_model(const std::string& path);

// Checkpoint extras: /normalization and the data the model was trained on (attributes).
void write_field_extras(h5::File& file, const data::Normalization& normalization,
                        const data::FieldFileInfo& info);

}  // namespace pf
