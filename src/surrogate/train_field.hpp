// `portaformer train` for field tasks (field_task.hpp): the deck's model on windows of a field
// dataset with the reference recipe (BaratiLab/FactFormer, examples/turb_ns2d_fact_lm.py and
// examples/threed_smokesim_fact_lm.py): the task's loss, AdamW + one-cycle, clipping, latent-step
// curriculum, pushforward, validation rollouts, checkpoints and bitwise restart.
#pragma once

#include "config/deck.hpp"
#include "train/run_options.hpp"

#include <cstdint>

namespace pf {

// Latent steps trained at `step`: the reference's linear curriculum from start to end over
// `length` steps (start + ⌊(end − start)·min(step, length)/length⌋).
std::int64_t curriculum_latent_steps(std::int64_t step, std::int64_t start, std::int64_t end,
                                     std::int64_t length);

int train_field_model(const Deck& deck, const RunOptions& options);

}  // namespace pf
