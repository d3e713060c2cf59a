// A trained field model rolled out on one trajectory of a dataset, in physical units: what
// `predict` writes and `evaluate` scores.
#pragma once

#include "data/field_reader.hpp"
#include "surrogate/field_task.hpp"

#include <vector>

namespace pf {

struct TrajectoryRollout {
  Index trajectory = 0;
  Index first_frame = 0;         // dataset frame index of the first predicted frame
  Index steps = 0;               // predicted frames
  Index truth_steps = 0;         // of those, how many the dataset also holds (≤ steps)
  std::vector<double> times;     // [steps]; past the data's end extrapolated with its last Δt
  std::vector<float> predicted;  // [steps, X, Y, C], denormalised
  std::vector<float> truth;      // [truth_steps, X, Y, C]
};

// Starts from frames [start, start + data.in_steps) of `trajectory` and predicts `steps`
// frames after them with eval.latent_steps latent steps per model call.
TrajectoryRollout roll_out_trajectory(const TrainedFieldModel& trained,
                                      const data::FieldReader& reader, Index trajectory,
                                      Index start, Index steps);

// Trajectories named by a split of the deck ("train", "valid", "test" or "all").
std::vector<Index> split_trajectories_named(const TrainedFieldModel& trained,
                                            const data::FieldFileInfo& info,
                                            const std::string& split);

}  // namespace pf
