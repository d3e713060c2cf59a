#include "train/train_loop.hpp"

#include "core/error.hpp"
#include "core/progress.hpp"
#include "kernels/compat.hpp"
#include "optim/clip.hpp"
#include "train/checkpoint.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <filesystem>

namespace pf {

namespace {

// The history travels in the checkpoint as one [steps, 4] tensor: step, lr, loss, grad norm.
Tensor<float> history_tensor(const std::vector<StepRecord>& history) {
  std::vector<float> v;
  for (const StepRecord& r : history)
    v.insert(v.end(), {float(r.step), float(r.lr), float(r.loss), float(r.grad_norm)});
  return Tensor<float>::from_host({Index(history.size()), 4}, v);
}

Tensor<float> validation_tensor(const std::vector<ValidationRecord>& history) {
  std::vector<float> v;
  for (const ValidationRecord& r : history)
    v.insert(v.end(), {float(r.step), float(r.loss)});
  return Tensor<float>::from_host({Index(history.size()), 2}, v);
}

constexpr const char* kHistoryName = "history/train";
constexpr const char* kValidationName = "history/valid";

}  // namespace

TrainLoop::TrainLoop(Module<float>& model, Adam<float>& optimizer, LrSchedule schedule,
                     BatchSampler& sampler, const Comm& comm, TrainLoopConfig config)
    : model_(model),
      optimizer_(optimizer),
      schedule_(std::move(schedule)),
      sampler_(sampler),
      comm_(comm),
      config_(std::move(config)) {}

void TrainLoop::save(const std::string& path) const {
  Checkpoint ck;
  ck.params = as_named(model_.state_dict());
  ck.optimizer_state = as_named(optimizer_.state());
  ck.optimizer_state.push_back({kHistoryName, history_tensor(history_)});
  ck.optimizer_state.push_back({kValidationName, validation_tensor(validation_)});
  ck.step = step_;
  ck.epoch = sampler_.epoch_of(step_);
  ck.rng_state = sampler_.epoch_start_state(step_);
  ck.config_toml = config_.config_toml;
  ck.scalars["optimizer_steps"] = double(optimizer_.steps_taken());
  ck.annotate = config_.annotate_checkpoint;
  save_checkpoint(path, ck);
}

std::int64_t TrainLoop::resume() {
  const std::string path = comm_.broadcast(latest_checkpoint(config_.output_dir));
  if (path.empty()) {
    spdlog::info("resume: no checkpoint in {}, starting from step 0", config_.output_dir);
    return 0;
  }
  const Checkpoint ck = read_checkpoint(path);
  if (ck.rng_state.size() != 6)
    throw InputError(path + ": /state/rng: expected the batch sampler's 6-word state, found " +
                     std::to_string(ck.rng_state.size()) + " words");
  NamedTensors<float> opt_state;
  std::vector<StepRecord> history;
  std::vector<ValidationRecord> validation;
  for (const NamedTensor& t : ck.optimizer_state)
    if (t.name == kValidationName) {
      if (t.tensor.ndim() != 2 || t.tensor.dim(1) != 2)
        throw InputError(path + ": /optimizer/" + kValidationName +
                         ": expected shape [records, 2], found " + to_string(t.tensor.shape()));
      const std::vector<float> h = t.tensor.to_host();
      for (size_t i = 0; i + 1 < h.size(); i += 2)
        validation.push_back({std::int64_t(h[i]), h[i + 1]});
    } else if (t.name == kHistoryName) {
      if (t.tensor.ndim() != 2 || t.tensor.dim(1) != 4)
        throw InputError(path + ": /optimizer/" + kHistoryName +
                         ": expected shape [steps, 4], found " + to_string(t.tensor.shape()));
      const std::vector<float> h = t.tensor.to_host();
      for (size_t i = 0; i + 3 < h.size(); i += 4)
        history.push_back({std::int64_t(h[i]), h[i + 1], h[i + 2], h[i + 3]});
    } else {
      opt_state.emplace_back(t.name, t.tensor);
    }
  copy_named_tensors(path + ": /params", ck.params, as_named(model_.state_dict()));
  const auto it = ck.scalars.find("optimizer_steps");
  optimizer_.load_state(opt_state, it == ck.scalars.end() ? ck.step : std::int64_t(it->second),
                        path + ": /optimizer");
  history_ = std::move(history);
  validation_ = std::move(validation);
  step_ = ck.step;
  sampler_.restore(step_, ck.rng_state);
  spdlog::info("resume: continuing from {} at step {}", path, step_);
  return step_;
}

void TrainLoop::prune_checkpoints() const {
  const auto found = list_checkpoints(config_.output_dir);
  const size_t keep = size_t(std::max<std::int64_t>(1, config_.keep_checkpoints));
  for (size_t i = 0; i + keep < found.size(); ++i)
    std::filesystem::remove(found[i].second);
}

bool TrainLoop::stopped_early() const {
  if (config_.patience <= 0 || validation_.empty()) return false;
  size_t best = 0;
  for (size_t i = 1; i < validation_.size(); ++i)
    if (validation_[i].loss < validation_[best].loss) best = i;
  return std::int64_t(validation_.size() - 1 - best) >= config_.patience;
}

const std::vector<StepRecord>& TrainLoop::run(const LossFn& local_loss) {
  ProfilingRegion region("pf::train::run");
  if (stopped_early()) {
    spdlog::info("early stopping: the run had already stopped at step {}", step_);
    return history_;
  }
  const NamedTensors<float> params = model_.named_parameters();
  Progress progress("train", config_.steps, comm_.is_root());
  progress.resume_from(step_);
  model_.set_training(true);
  for (; step_ < config_.steps;) {
    const ScheduleValue sv = schedule_.at(step_);
    optimizer_.zero_grad();
    const Tensor<float> loss = local_loss(step_, sampler_.local_batch(step_));
    const double local = loss.item();
    loss.backward();
    average_gradients(params, comm_);
    const double mean_loss = comm_.allreduce_sum(local) / comm_.size();
    const double norm = clip_grad_norm(params, config_.clip_grad_norm);
    if (!std::isfinite(mean_loss) || !std::isfinite(norm)) {
      const std::string last = latest_checkpoint(config_.output_dir);
      throw NonFiniteError("training stopped at step " + std::to_string(step_) + ": loss " +
                           std::to_string(mean_loss) + ", gradient norm " + std::to_string(norm) +
                           "; the last good checkpoint is " + (last.empty() ? "none" : last) +
                           " (lower the learning rate, clip gradients or check the data)");
    }
    optimizer_.step(sv.lr, sv.beta1.value_or(optimizer_.config().beta1));
    history_.push_back({step_, sv.lr, mean_loss, norm});
    ++step_;
    progress.update(step_, fmt::format("loss {:.3e} lr {:.2e} |g| {:.2e}", mean_loss, sv.lr, norm));

    const bool periodic = config_.checkpoint_every > 0 && step_ % config_.checkpoint_every == 0;
    const bool validate_now = config_.validate && config_.validate_every > 0 &&
                              (step_ % config_.validate_every == 0 || step_ == config_.steps);
    if (validate_now) {
      NoGradGuard no_grad;
      model_.set_training(false);
      const double loss = config_.validate();
      model_.set_training(true);
      const bool best = std::all_of(validation_.begin(), validation_.end(),
                                    [&](const ValidationRecord& r) { return loss < r.loss; });
      validation_.push_back({step_, loss});
      spdlog::info("step {}: validation loss {:.4e}{}", step_, loss, best ? " (best)" : "");
      if (best && config_.on_best) config_.on_best();
    }
    const bool stop = validate_now && stopped_early();
    if (stop)
      spdlog::info("early stopping at step {}: no better validation loss in the last {}", step_,
                   config_.patience);
    // Periodic checkpoints after validation, so a resumed run has the same validation history.
    if (periodic && step_ < config_.steps && !stop && comm_.is_root()) {
      save(checkpoint_path(config_.output_dir, step_));
      prune_checkpoints();
    }
    if (config_.kill_at_step > 0 && step_ == config_.kill_at_step) {
      comm_.barrier();
      spdlog::warn("train.kill_at_step = {}: killing this process (SIGKILL) to test resume", step_);
      std::raise(SIGKILL);
    }
    if (stop) break;
  }
  progress.finish();
  if (comm_.is_root()) save(checkpoint_path(config_.output_dir, step_));
  comm_.barrier();
  return history_;
}

}  // namespace pf
