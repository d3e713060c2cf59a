// `portaformer evaluate` for field models: rollouts of the test trajectories scored per step —
// relative L2 error, correlation with the truth and how long it stays above 0.8, and the error
// of the kinetic-energy spectrum — written as metrics.json, rollout_metrics.csv, spectrum.csv.
#pragma once

#include "core/types.hpp"

#include <string>
#include <vector>

namespace pf {

struct EvaluateOptions {
  std::string checkpoint;  // checkpoint file or run directory
  std::string data;        // dataset; empty: the one the model was trained on
  std::string split = "test";
  std::vector<Index> trajectories;  // overrides split
  Index start = 0;                  // first input frame
  Index steps = 0;                  // rollout length; 0: to the end of the data
  double threshold = 0.8;           // correlation threshold for the correlation time
  std::string output_dir;
};

int evaluate_field(const EvaluateOptions& options);

}  // namespace pf
