// `portaformer train` for the crystal property task: iComFormer/eComFormer on a structure
// dataset with the reference recipe (divelab/AIRS ComFormer).
#pragma once

#include "config/deck.hpp"
#include "train/run_options.hpp"

namespace pf {

// Writes checkpoints (checkpoint_best.h5: the lowest validation MAE), metrics.json and
// history.csv (the validation loss column is the MAE in the target's units) to
// options.output_dir; returns the exit code.
int train_crystal_model(const Deck& deck, const RunOptions& options);

}  // namespace pf
