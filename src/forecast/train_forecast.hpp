// `portaformer train` for task = "forecast": the reference recipe (LTSF-Linear exp_main.py) on
// the shared TrainLoop, with a validation pass and early stopping each epoch.
#pragma once

#include "config/deck.hpp"
#include "train/run_options.hpp"

namespace pf {

// Writes checkpoints (checkpoint_best.h5: the lowest validation loss), metrics.json and
// history.csv to options.output_dir; returns the exit code.
int train_forecaster(const Deck& deck, const RunOptions& options);

}  // namespace pf
