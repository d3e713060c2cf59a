#include "surrogate/train_field.hpp"

#include "core/error.hpp"
#include "core/rng.hpp"
#include "data/window_dataset.hpp"
#include "eval/field_metrics.hpp"
#include "parallel/comm.hpp"
#include "surrogate/field_task.hpp"
#include "surrogate/rollout.hpp"
#include "tensor/ops.hpp"
#include "train/checkpoint.hpp"
#include "train/optim_deck.hpp"
#include "train/run_outputs.hpp"
#include "train/train_loop.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <optional>

namespace pf {

std::int64_t curriculum_latent_steps(std::int64_t step, std::int64_t start, std::int64_t end,
                                     std::int64_t length) {
  const std::int64_t progressed = std::min(std::max<std::int64_t>(step, 0), length);
  return start + (end - start) * progressed / length;
}

namespace {

// Mean over the windows of a rollout's validation error, each rank taking every size-th window:
// the relative L2 error on denormalised fields (the 2-D reference's test loss) for whole-frame
// tasks, the training loss over the whole rollout for per-field tasks (the smoke reference's).
class RolloutValidator {
 public:
  RolloutValidator(FieldModel& model, const data::WindowDataset& windows, Index n_windows,
                   Index latent_steps, const Comm& comm, const FieldLoss& loss,
                   const WallVelocity& walls)
      : model_(model),
        windows_(windows),
        latent_steps_(latent_steps),
        comm_(comm),
        loss_(loss),
        walls_(walls) {
    const Index n = std::min(n_windows, windows.size());
    for (Index i = 0; i < n; ++i)
      chosen_.push_back(std::int64_t(i * windows.size() / n));  // evenly spread, deterministic
  }

  double operator()() const {
    double sum = 0;
    for (size_t i = size_t(comm_.rank()); i < chosen_.size(); i += size_t(comm_.size())) {
      const auto batch = windows_.read_batch({chosen_[i]});
      const Index steps = batch.out.dim(1);
      const Tensor<float> rolled = rollout(model_, batch.in, steps, latent_steps_, &walls_);
      if (loss_.kind() == FieldLossKind::PerField) {
        sum += double(loss_(rolled, batch.out).to_host().front());
        continue;
      }
      std::vector<float> predicted = rolled.to_host();
      std::vector<float> truth = batch.out.to_host();
      const auto& norm = windows_.normalization();
      norm.denormalize(predicted.data(), Index(predicted.size()));
      norm.denormalize(truth.data(), Index(truth.size()));
      sum += eval::relative_l2(predicted.data(), truth.data(), Index(truth.size()));
    }
    return comm_.allreduce_sum(sum) / double(chosen_.size());
  }

 private:
  FieldModel& model_;
  const data::WindowDataset& windows_;
  Index latent_steps_;
  Comm comm_;
  const FieldLoss& loss_;
  const WallVelocity& walls_;
  std::vector<std::int64_t> chosen_;
};

// With lower-face velocities the data hold exact zeros where the walls are imposed; cell-centred
// data do not (their first cell's wall-normal velocity is half the next face's). Checked on one
// frame, so a deck that zeroes values the data do not is pointed out before hours of training.
void check_wall_values(const data::FieldReader& reader, Index trajectory,
                       const WallVelocity& walls) {
  const data::FieldFileInfo& info = reader.info();
  std::vector<float> frame(static_cast<size_t>(info.frame_values()));
  reader.read_frames(trajectory, info.n_steps - 1, 1, frame.data());
  double on_walls = 0, largest = 0;
  for (Index o : walls.offsets())
    on_walls = std::max(on_walls, double(std::abs(frame[size_t(o)])));
  for (const data::FieldGroup& field : info.fields)
    for (Index p = 0; field.order == 1 && p < info.frame_points(); ++p)
      for (Index c = 0; c < field.components; ++c)
        largest = std::max(
            largest,
            double(std::abs(frame[size_t(p * info.n_channels() + field.first_channel + c)])));
  if (on_walls > 1e-6 * largest)
    spdlog::warn(
        "train.wall_velocity = lower_faces zeroes the wall-normal velocity at index 0 of each "
        "wall axis, but {} holds values up to {:.3g} there (largest velocity {:.3g}; trajectory "
        "{}, last frame): cell-centred data? Then set train.wall_velocity = \"none\"",
        info.path, on_walls, largest, trajectory);
}

}  // namespace

int train_field_model(const Deck& deck, const RunOptions& options) {
  validate_field_deck(deck);
  const FieldTask& task = field_task_of(deck);
  const Comm comm = Comm::world();
  const auto start_time = std::chrono::steady_clock::now();
  std::filesystem::create_directories(options.output_dir);

  const FieldData data = open_field_data(deck);
  const data::FieldFileInfo& info = data.reader->info();
  if (data.split.train.empty())
    throw InputError(info.path +
                     ": expected at least one training trajectory after the split, "
                     "found none (" +
                     std::to_string(info.n_traj) + " in the file)");
  const data::Normalization norm = data::compute_normalization(*data.reader, data.split.train);
  Rng init_rng(std::uint64_t(deck.get_int("model.seed")));
  const std::unique_ptr<FieldModel> field_model =
      task.make_model(deck, Index(info.channels.size()), init_rng);
  Module<float>& model = field_model->module();
  const std::shared_ptr<const WallVelocity> walls = field_walls(deck, info, norm);
  const FieldLoss loss(task.loss, info, norm, walls);

  // Pushforward steps train on the window after `rollouts` model calls of up to
  // curriculum_end frames each, so every training window holds that many target frames.
  const Index in_steps = deck.get_int("data.in_steps");
  const std::int64_t steps = deck.get_int("train.steps");
  const std::int64_t pushforward_after = deck.get_int("train.pushforward_after");
  const std::int64_t pushforward_every = deck.get_int("train.pushforward_every");
  const Index rollouts = deck.get_int("train.pushforward_rollouts");
  const bool pushforward = pushforward_after < steps;
  const Index latent_end = deck.get_int("train.curriculum_end");
  const Index target_frames = latent_end * (pushforward ? rollouts + 1 : 1);
  const data::WindowDataset train_set(data.reader, data.split.train,
                                      {in_steps, target_frames, deck.get_int("data.window_stride")},
                                      norm);
  if (train_set.size() == 0)
    throw InputError(info.path + ": no training window fits: each needs data.in_steps + " +
                     std::to_string(target_frames) +
                     " frames (curriculum_end × (1 + pushforward "
                     "rollouts)), trajectories have " +
                     std::to_string(info.n_steps));
  std::optional<data::WindowDataset> valid_set;
  const Index eval_steps = deck.get_int("eval.steps");
  if (!data.split.valid.empty()) {
    if (in_steps + eval_steps > info.n_steps)
      throw InputError("deck " + deck.source() + ": option 'eval.steps': expected at most " +
                       std::to_string(info.n_steps - in_steps) +
                       " (frames per trajectory − "
                       "data.in_steps), found " +
                       std::to_string(eval_steps));
    valid_set.emplace(data.reader, data.split.valid, data::WindowSpec{in_steps, eval_steps, 1},
                      norm);
  }

  spdlog::info(
      "data: {} ({} trajectories: {} train, {} valid, {} test; {} frames of {}, channels {}); "
      "{} training windows",
      info.path, info.n_traj, data.split.train.size(), data.split.valid.size(),
      data.split.test.size(), info.n_steps, fmt::join(info.spatial_shape, "×"),
      fmt::join(info.channels, ", "), train_set.size());
  spdlog::info("model: {} with {} trainable parameters", task.model_name, model.parameter_count());
  if (walls->active()) {
    check_wall_values(*data.reader, data.split.train.front(), *walls);
    spdlog::info("walls: {} velocity values per frame zeroed in predictions ({})", walls->count(),
                 to_string(WallSamples::LowerFaces));
  }

  Adam<float> optimizer(model.named_parameters(), adam_config_from_deck(deck));
  BatchSampler sampler(train_set.size(), deck.get_int("train.batch_size"), comm.rank(), comm.size(),
                       std::uint64_t(deck.get_int("train.seed")));
  TrainLoopConfig tc;
  tc.steps = steps;
  tc.clip_grad_norm = deck.get_float("train.clip_grad_norm");
  tc.checkpoint_every = deck.get_int("train.checkpoint_every");
  tc.keep_checkpoints = deck.get_int("train.keep_checkpoints");
  tc.kill_at_step = deck.get_int("train.kill_at_step");
  tc.output_dir = options.output_dir;
  tc.config_toml = deck.to_toml();
  tc.annotate_checkpoint = [&](h5::File& file) { write_field_extras(file, norm, info); };
  std::optional<RolloutValidator> validator;
  if (valid_set) {
    validator.emplace(*field_model, *valid_set, deck.get_int("eval.valid_windows"),
                      deck.get_int("eval.latent_steps"), comm, loss, *walls);
    tc.validate_every = deck.get_int("train.validate_every");
    if (tc.validate_every == 0) tc.validate_every = sampler.batches_per_epoch();
    tc.validate = [&] { return (*validator)(); };
  } else {
    spdlog::warn("no validation trajectories (data.valid_fraction = {}): no validation",
                 deck.get_float("data.valid_fraction"));
  }
  TrainLoop loop(model, optimizer, LrSchedule(schedule_config_from_deck(deck)), sampler, comm, tc);
  if (options.resume) loop.resume();

  loop.run([&](std::int64_t step, const std::vector<std::int64_t>& batch) {
    const Index latent =
        curriculum_latent_steps(step, deck.get_int("train.curriculum_start"), latent_end,
                                deck.get_int("train.curriculum_steps"));
    const auto frames = train_set.read_batch(batch);
    Tensor<float> window = frames.in;
    Index target_start = 0;
    if (pushforward && step > pushforward_after && step % pushforward_every == 0) {
      // The reference's pushforward: roll forward without gradient, train on the next window.
      NoGradGuard no_grad;
      for (Index r = 0; r < rollouts; ++r)
        window =
            advance_window(window, walls->impose_normalised(field_model->forward(window, latent)));
      target_start = rollouts * latent;
    }
    const Tensor<float> predicted = field_model->forward(window.detach(), latent);
    return loss(predicted, slice(frames.out, 1, target_start, target_start + latent));
  });

  if (comm.is_root()) {
    const auto& h = loop.history();
    const auto& v = loop.validation_history();
    nlohmann::json m;
    m["job"] = "train";
    m["task"] = task.name;
    m["steps"] = loop.step();
    m["ranks"] = comm.size();
    m["parameters"] = model.parameter_count();
    m["data"] = info.path;
    m["channels"] = info.channels;
    if (deck.has("train.wall_velocity"))
      m["wall_velocity"] = {{"samples", deck.get_string("train.wall_velocity")},
                            {"values_per_frame", walls->count()}};
    m["trajectories"] = {
        {"train", data.split.train}, {"valid", data.split.valid}, {"test", data.split.test}};
    m["normalization"] = {{"mean", norm.mean}, {"std", norm.std}};
    if (!v.empty()) {
      m["valid_rel_l2_first"] = v.front().loss;
      m["valid_rel_l2_last"] = v.back().loss;
    }
    write_training_summary(m, options.output_dir, deck.to_toml(), h, v, start_time);
    spdlog::info("done: last batch loss {:.4e}{}; checkpoint {}",
                 m["last_batch_loss"].get<double>(),
                 v.empty() ? std::string()
                           : fmt::format(", validation rollout {} {:.4e} (first {:.4e})",
                                         task.loss == FieldLossKind::PerField ? "loss" : "rel-L2",
                                         v.back().loss, v.front().loss),
                 m["checkpoint"].get<std::string>());
  }
  comm.barrier();
  return 0;
}

}  // namespace pf
