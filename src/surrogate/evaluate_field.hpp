// `portaformer evaluate` for field models: rollouts of the test trajectories scored per step —
// relative L2 error, correlation with the truth and how long it stays above 0.8 (over all
// channels, and per field when there are several), and for 2-D periodic vorticity the error of
// the kinetic-energy spectrum — written as metrics.json, rollout_metrics.csv, spectrum.csv.
#pragma once

#include "surrogate/trajectory_rollout.hpp"

namespace pf {

struct EvaluateOptions {
  RolloutRequest request;  // steps 0: to the end of the data
  double threshold = 0.8;  // correlation threshold for the correlation time
};

int evaluate_field(const EvaluateOptions& options);

}  // namespace pf
