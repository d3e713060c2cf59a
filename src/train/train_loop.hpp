// The training loop every model shares: gradient averaging over ranks, clipping, NaN/Inf
// guard, scheduled Adam/AdamW steps, progress, periodic atomic checkpoints and exact resume.
#pragma once

#include "nn/module.hpp"
#include "optim/adam.hpp"
#include "optim/schedule.hpp"
#include "parallel/comm.hpp"
#include "train/batch_sampler.hpp"
#include "train/checkpoint.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace pf {

struct TrainLoopConfig {
  std::int64_t steps = 1000;
  double clip_grad_norm = 0.0;        // ≤ 0: no clipping
  std::int64_t checkpoint_every = 0;  // ≤ 0: only the final checkpoint
  std::int64_t keep_checkpoints = 2;  // older periodic checkpoints are deleted
  std::int64_t kill_at_step = 0;      // testing resume: SIGKILL this process after that step
  std::string output_dir;
  std::string config_toml;  // the resolved deck, stored in every checkpoint
  std::function<void(h5::File&)> annotate_checkpoint;  // see Checkpoint::annotate
  // Validation: every validate_every steps (and after the last), `validate` returns a loss that
  // is logged, kept in the history and stored in checkpoints. ≤ 0 or no function: none.
  std::int64_t validate_every = 0;
  std::function<double()> validate;
  // Early stopping (TSLib's EarlyStopping): stop once this many validations in a row did not
  // lower the best validation loss. Derived from the validation history alone, so a resumed run
  // stops where an uninterrupted one would. ≤ 0: off.
  std::int64_t patience = 0;
  // Called after each validation that set a new best loss (e.g. to keep the best weights).
  std::function<void()> on_best;
};

struct StepRecord {
  std::int64_t step;
  double lr, loss, grad_norm;
};

struct ValidationRecord {
  std::int64_t step;  // optimizer steps taken when it was measured
  double loss;
};

class TrainLoop {
 public:
  // local_loss(step, batch) returns this rank's mean loss over its part of the global batch.
  using LossFn =
      std::function<Tensor<float>(std::int64_t step, const std::vector<std::int64_t>& batch)>;

  TrainLoop(Module<float>& model, Adam<float>& optimizer, LrSchedule schedule,
            BatchSampler& sampler, const Comm& comm, TrainLoopConfig config);

  // Loads the newest checkpoint in output_dir (if any); returns the step it resumes at.
  std::int64_t resume();
  // Runs from the current step to config.steps; returns the per-step records of this run.
  // Throws NonFiniteError (after logging) when the loss or the gradients stop being finite; the
  // checkpoints written so far stay on disk.
  const std::vector<StepRecord>& run(const LossFn& local_loss);

  std::int64_t step() const { return step_; }
  bool stopped_early() const;  // the validation history meets the patience rule
  const std::vector<StepRecord>& history() const { return history_; }
  const std::vector<ValidationRecord>& validation_history() const { return validation_; }
  void save(const std::string& path) const;  // model, optimizer, sampler and history

 private:
  void prune_checkpoints() const;

  Module<float>& model_;
  Adam<float>& optimizer_;
  LrSchedule schedule_;
  BatchSampler& sampler_;
  Comm comm_;
  TrainLoopConfig config_;
  std::int64_t step_ = 0;
  std::vector<StepRecord> history_;
  std::vector<ValidationRecord> validation_;
};

}  // namespace pf
