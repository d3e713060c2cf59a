// A small MLP trained end to end: the smallest run that exercises decks, tensors, optimizers,
// checkpoints and outputs together.
#pragma once

#include "config/deck.hpp"

#include <string>

namespace pf {

struct RunOptions {
  std::string output_dir;
  bool resume = false;
};

DeckSchema mlp_demo_schema();
int run_mlp_demo(const Deck& deck, const RunOptions& options);

}  // namespace pf
