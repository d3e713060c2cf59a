// A small MLP trained end to end: the smallest run that exercises decks, tensors, optimizers,
// checkpoints and outputs together.
#pragma once

#include "config/deck.hpp"
#include "train/run_options.hpp"

namespace pf {

DeckSchema mlp_demo_schema();
int run_mlp_demo(const Deck& deck, const RunOptions& options);

}  // namespace pf
