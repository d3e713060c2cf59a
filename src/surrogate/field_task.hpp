// The FactFormer-2D field task: its deck, its data (reader and trajectory split), and a trained
// model brought back from a checkpoint — what `train`, `predict` and `evaluate` share.
#pragma once

#include "config/deck.hpp"
#include "data/field_reader.hpp"
#include "data/normalization.hpp"
#include "data/split.hpp"
#include "models/factformer/factformer2d.hpp"

#include <memory>
#include <string>
#include <vector>

namespace pf {

inline constexpr const char* kFieldTaskName = "factformer2d";

// Every option of the task: data.*, model.* (FactFormer-2D), optim.*, schedule.*, train.*,
// eval.*, and `task` itself.
DeckSchema field_task_schema();

// Ranges the schema's types cannot express; InputError naming the key, expected and found.
void validate_field_deck(const Deck& deck);

// "vorticity, velocity" -> {"vorticity", "velocity"}; "" -> {} (every field of the file).
std::vector<std::string> parse_field_list(const std::string& text);

struct FieldData {
  std::shared_ptr<const data::FieldReader> reader;
  data::TrajectorySplit split;
};

// Opens data.path (or `path_override`), checks it is a 2-D dataset with enough frames for the
// deck's windows, and splits its trajectories as the deck says.
FieldData open_field_data(const Deck& deck, const std::string& path_override = "");

// The model's configuration from the deck, checked against the data: model.in_channels must be
// data.in_steps × channels and model.out_channels the channels.
FactFormer2DConfig field_model_config(const Deck& deck, Index channels);

// A model trained by `portaformer train`, with the deck it was trained under and the
// normalisation of its training data.
struct TrainedFieldModel {
  std::string checkpoint;
  Deck deck;
  std::string deck_toml;  // the deck as the training run wrote it (with its provenance comments)
  data::Normalization normalization;
  std::shared_ptr<FactFormer2D> model;
};

// `path` is a checkpoint file, or a run directory (its newest checkpoint). Missing or mismatched
// pieces are InputErrors naming the file.
TrainedFieldModel load_trained_field_model(const std::string& path);

// Checkpoint extras: /normalization and the data the model was trained on (attributes).
void write_field_extras(h5::File& file, const data::Normalization& normalization,
                        const data::FieldFileInfo& info);

}  // namespace pf
