#include "surrogate/factformer_tasks.hpp"

#include "core/error.hpp"
#include "models/factformer/factformer2d.hpp"

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
  add_field_task_options(s, {"10", "5e-4", "0.2", "1.0", "8", "20000", "8000", "2",
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

}  // namespace

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
