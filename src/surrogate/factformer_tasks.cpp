#include "surrogate/factformer_tasks.hpp"

#include "core/error.hpp"
#include "models/factformer/factformer2d.hpp"
#include "models/factformer/factformer3d.hpp"

#include <fmt/format.h>

namespace pf {

namespace {

[[noreturn]] void bad(const Deck& deck, const std::string& key, const std::string& expected,
                      const std::string& found) {
  throw InputError("deck " + deck.source() + ": option '" + key + "': expected " + expected +
                   ", found " + found);
}

DeckSchema factformer2d_schema() {
  DeckSchema s("factformer2d",
               "Train FactFormer-2D on a 2-D field dataset (The Well or PDEBench layout) with the "
               "reference recipe: relative-L2 loss, AdamW + one-cycle, clipping, latent-step "
               "curriculum and pushforward.");
  add_field_task_options(s, {"10", "5e-4", "0.2", "1.0", "8", "20000", "8000", "2", "\"\"",
                             "reference examples/turb_ns2d_fact_lm.py"});
  add_factformer2d_options(s);
  return s;
}

Index factformer2d_max_latent_steps(const Deck& deck) {
  return factformer2d_config(deck).max_latent_steps;
}

// model.in_channels must be data.in_steps × channels (time-major channels) and
// model.out_channels the channels.
std::unique_ptr<FieldModel> make_factformer2d(const Deck& deck, Index channels, Rng& rng) {
  FactFormer2DConfig config = factformer2d_config(deck);
  const Index in_channels = deck.get_int("data.in_steps") * channels;
  if (config.in_channels != in_channels)
    bad(deck, "model.in_channels",
        fmt::format("data.in_steps × channels = {} × {} = {}", deck.get_int("data.in_steps"),
                    channels, in_channels),
        std::to_string(config.in_channels));
  if (config.out_channels != channels)
    bad(deck, "model.out_channels", fmt::format("the data's {} channel(s)", channels),
        std::to_string(config.out_channels));
  return std::make_unique<FactFormer2DField>(std::make_shared<FactFormer2D>(config, rng));
}

DeckSchema factformer3d_schema() {
  DeckSchema s("factformer3d",
               "Train FactFormer-3D on a 3-D field dataset (e.g. smoke: density and velocity) with "
               "the reference smoke recipe: relative L2 per field on denormalised fields with the "
               "wall-normal velocity zeroed on walls, AdamW + one-cycle, clipping, latent-step "
               "curriculum and pushforward.");
  // 100 epochs of 2000 trajectories in batches of 2: 100000 steps; one pushforward rollout.
  add_field_task_options(
      s, {"4", "3e-4", "0.3", "2.0", "2", "100000", "10000", "1", "\"density, velocity\"",
          "reference examples/threed_smokesim_fact_lm.py + smoke3d_fact_lm.yml"});
  s.add({"train.wall_velocity",
         OptionType::String,
         "\"lower_faces\"",
         "velocity samples on walls, zeroed in predictions (loss, pushforward, rollouts): "
         "lower_faces = component d at index 0 along each wall axis d, as in the reference's "
         "data (MAC lower-face velocities); none = no sample on a wall (cell-centred velocity, "
         "e.g. `portaformer simulate` smoke3d output)",
         {"lower_faces", "none"}});
  add_factformer3d_options(s);
  return s;
}

Index factformer3d_max_latent_steps(const Deck& deck) {
  return factformer3d_config(deck).max_latent_steps;
}

// model.in_fields and model.out_fields must be the data's channels, model.in_steps the window.
std::unique_ptr<FieldModel> make_factformer3d(const Deck& deck, Index channels, Rng& rng) {
  const FactFormer3DConfig config = factformer3d_config(deck);
  if (config.in_steps != deck.get_int("data.in_steps"))
    bad(deck, "model.in_steps",
        fmt::format("data.in_steps ({}), the frames of the input window",
                    deck.get_int("data.in_steps")),
        std::to_string(config.in_steps));
  for (const char* key : {"model.in_fields", "model.out_fields"}) {
    const Index value =
        key == std::string("model.in_fields") ? config.in_fields : config.out_fields;
    if (value != channels)
      bad(deck, key, fmt::format("the data's {} channel(s)", channels), std::to_string(value));
  }
  return std::make_unique<FactFormer3DField>(std::make_shared<FactFormer3D>(config, rng));
}

}  // namespace

FieldTask factformer3d_task() {
  FieldTask t;
  t.name = "factformer3d";
  t.model_name = "FactFormer-3D";
  t.spatial_rank = 3;
  t.grid_multiple = 2;
  t.loss = FieldLossKind::PerField;
  t.schema = factformer3d_schema;
  t.max_latent_steps = factformer3d_max_latent_steps;
  t.make_model = make_factformer3d;
  return t;
}

FieldTask factformer2d_task() {
  FieldTask t;
  t.name = "factformer2d";
  t.model_name = "FactFormer-2D";
  t.spatial_rank = 2;
  t.loss = FieldLossKind::WholeFrames;
  t.schema = factformer2d_schema;
  t.max_latent_steps = factformer2d_max_latent_steps;
  t.make_model = make_factformer2d;
  return t;
}

}  // namespace pf
