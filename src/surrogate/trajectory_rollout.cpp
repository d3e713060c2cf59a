#include "surrogate/trajectory_rollout.hpp"

#include "core/error.hpp"
#include "surrogate/rollout.hpp"
#include "tensor/ops.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

namespace pf {

TrajectoryRollout roll_out_trajectory(const TrainedFieldModel& trained,
                                      const data::FieldReader& reader, Index trajectory,
                                      Index start, Index steps) {
  const data::FieldFileInfo& info = reader.info();
  const Index in_steps = trained.deck.get_int("data.in_steps");
  if (trajectory < 0 || trajectory >= info.n_traj)
    throw InputError(info.path + ": expected a trajectory in [0, " + std::to_string(info.n_traj) +
                     "), found " + std::to_string(trajectory));
  if (start < 0 || start + in_steps > info.n_steps)
    throw InputError(info.path + ": a rollout from frame " + std::to_string(start) + " needs " +
                     std::to_string(in_steps) + " input frames; trajectories have " +
                     std::to_string(info.n_steps));
  if (info.channels != trained.normalization.channels)
    throw InputError(info.path + ": expected the channels the model was trained on (" +
                     std::to_string(trained.normalization.channels.size()) + ": " +
                     trained.normalization.channels.front() + "...), found " +
                     std::to_string(info.channels.size()) + " channels");
  const Index frame = info.frame_values();
  const std::shared_ptr<const WallVelocity> walls =
      field_walls(trained.deck, info, trained.normalization);

  TrajectoryRollout out;
  out.trajectory = trajectory;
  out.first_frame = start + in_steps;
  out.steps = steps;
  out.truth_steps = std::clamp<Index>(info.n_steps - out.first_frame, 0, steps);

  std::vector<float> window(size_t(in_steps * frame));
  reader.read_frames(trajectory, start, in_steps, window.data());
  trained.normalization.normalize(window.data(), Index(window.size()));
  Shape shape{1, in_steps};
  shape.insert(shape.end(), info.spatial_shape.begin(), info.spatial_shape.end());
  shape.push_back(info.n_channels());
  {
    NoGradGuard no_grad;
    const Tensor<float> predicted =
        rollout(*trained.model, Tensor<float>::from_host(shape, window), steps,
                trained.deck.get_int("eval.latent_steps"), walls.get());
    out.predicted = predicted.to_host();
  }
  trained.normalization.denormalize(out.predicted.data(), Index(out.predicted.size()));
  // Denormalising the imposed normalised zero leaves round-off: the walls get exact zeros.
  walls->zero_host(out.predicted.data(), steps);

  out.truth.resize(size_t(out.truth_steps * frame));
  if (out.truth_steps > 0)
    reader.read_frames(trajectory, out.first_frame, out.truth_steps, out.truth.data());

  const std::vector<double>& t = info.time;
  const double dt = t.size() >= 2 ? t[t.size() - 1] - t[t.size() - 2] : 1.0;
  for (Index k = 0; k < steps; ++k) {
    const Index f = out.first_frame + k;
    out.times.push_back(f < Index(t.size()) ? t[size_t(f)]
                                            : t.back() + double(f - Index(t.size()) + 1) * dt);
  }
  return out;
}

std::vector<Index> split_trajectories_named(const TrainedFieldModel& trained,
                                            const data::FieldFileInfo& info,
                                            const std::string& split) {
  if (split == "all") {
    std::vector<Index> all(size_t(info.n_traj));
    std::iota(all.begin(), all.end(), Index(0));
    return all;
  }
  const Deck& deck = trained.deck;
  const data::TrajectorySplit s = data::split_trajectories(
      info.n_traj, deck.get_float("data.valid_fraction"), deck.get_float("data.test_fraction"),
      std::uint64_t(deck.get_int("data.split_seed")));
  if (split == "train") return s.train;
  if (split == "valid") return s.valid;
  if (split == "test") return s.test;
  throw InputError("--split: expected train, valid, test or all, found '" + split + "'");
}

RolloutSession open_rollout_session(const RolloutRequest& request) {
  TrainedFieldModel trained = load_trained_field_model(request.checkpoint);
  std::string data_path =
      request.data.empty() ? trained.deck.get_string("data.path") : request.data;
  check_field_grid(*trained.task, data::inspect_fields(data_path, {}), data_path,
                   "the model of " + trained.checkpoint);
  // The fields the model was trained on (vector fields by name, not by channel).
  data::FieldReader reader(data_path, parse_field_list(trained.deck.get_string("data.fields")));
  const data::FieldFileInfo& info = reader.info();
  if (info.channels != trained.normalization.channels)
    throw InputError(fmt::format(
        "{}: expected the channels the model was trained on ({}), found {}", data_path,
        fmt::join(trained.normalization.channels, ", "), fmt::join(info.channels, ", ")));
  std::vector<Index> trajectories =
      request.trajectories.empty() ? split_trajectories_named(trained, reader.info(), request.split)
                                   : request.trajectories;
  if (trajectories.empty())
    throw InputError(data_path + ": the '" + request.split +
                     "' split holds no trajectories; name some with --trajectories");
  const Index frames_with_truth =
      reader.info().n_steps - request.start - trained.deck.get_int("data.in_steps");
  return RolloutSession{std::move(trained), std::move(data_path), std::move(reader),
                        std::move(trajectories), frames_with_truth};
}

std::string rollout_provenance(const std::string& command, const RolloutSession& session,
                               const RolloutRequest& request, Index steps) {
  return fmt::format(
      "# portaformer {}\n# checkpoint = \"{}\"\n# data = \"{}\"\n# start = {}\n# steps = {}\n{}",
      command, session.trained.checkpoint, session.data_path, request.start, steps,
      session.trained.deck_toml);
}

}  // namespace pf
