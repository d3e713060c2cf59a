// `portaformer train` for the field task: FactFormer-2D on windows of a field dataset with the
// reference recipe (BaratiLab/FactFormer, examples/turb_ns2d_fact_lm.py).
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
