// A trained field model rolled out on one trajectory of a dataset, in physical units: what
// `predict` writes and `evaluate` scores.
#pragma once

#include "data/field_reader.hpp"
#include "surrogate/field_task.hpp"

#include <string>
#include <vector>

namespace pf {

// What `predict` and `evaluate` are asked to roll out.
struct RolloutRequest {
  std::string checkpoint;           // checkpoint file or run directory
  std::string data;                 // dataset; empty: the one the model was trained on
  std::string split = "test";       // used when `trajectories` is empty
  std::vector<Index> trajectories;  // overrides split
  Index start = 0;                  // first input frame
  Index steps = 0;                  // frames to predict; 0: up to the end of the data
  std::string output_dir;
};

// The trained model, the dataset and the trajectories a request names.
struct RolloutSession {
  TrainedFieldModel trained;
  std::string data_path;
  data::FieldReader reader;
  std::vector<Index> trajectories;
  Index frames_with_truth;  // frames after the input window that the data hold
};

// Loads the model and opens the data; InputError when the split names no trajectory.
RolloutSession open_rollout_session(const RolloutRequest& request);

// Header lines saying which command made an output from what, followed by the training deck:
// the resolved configuration every output of predict/evaluate carries.
std::string rollout_provenance(const std::string& command, const RolloutSession& session,
                               const RolloutRequest& request, Index steps);

struct TrajectoryRollout {
  Index trajectory = 0;
  Index first_frame = 0;         // dataset frame index of the first predicted frame
  Index steps = 0;               // predicted frames
  Index truth_steps = 0;         // of those, how many the dataset also holds (≤ steps)
  std::vector<double> times;     // [steps]; past the data's end extrapolated with its last Δt
  std::vector<float> predicted;  // [steps, S..., C], denormalised, wall values exactly 0
  std::vector<float> truth;      // [truth_steps, S..., C]
};

// Starts from frames [start, start + data.in_steps) of `trajectory` and predicts `steps`
// frames after them with eval.latent_steps latent steps per model call, imposing the deck's
// wall values (train.wall_velocity) as training did.
TrajectoryRollout roll_out_trajectory(const TrainedFieldModel& trained,
                                      const data::FieldReader& reader, Index trajectory,
                                      Index start, Index steps);

// Trajectories named by a split of the deck ("train", "valid", "test" or "all").
std::vector<Index> split_trajectories_named(const TrainedFieldModel& trained,
                                            const data::FieldFileInfo& info,
                                            const std::string& split);

}  // namespace pf
