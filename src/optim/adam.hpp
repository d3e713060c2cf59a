// Adam and AdamW with the arithmetic of torch.optim (non-amsgrad), per-parameter state
// exp_avg / exp_avg_sq named after the parameter, for checkpoints.
#pragma once

#include "nn/module.hpp"

#include <cstdint>

namespace pf {

struct AdamConfig {
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  double weight_decay = 0.0;
  bool decoupled = false;     // AdamW: decay the weights, not the gradient
  bool decay_vectors = true;  // false: no decay on 1-D parameters (biases, norm weights)
};

template <class T>
class Adam {
 public:
  Adam(NamedTensors<T> params, AdamConfig config);

  // One update with learning rate lr (from the schedule); beta1 may be overridden per step
  // (one-cycle momentum cycling).
  void step(double lr, double beta1);
  void step(double lr) { step(lr, config_.beta1); }
  void zero_grad();

  std::int64_t steps_taken() const { return step_; }
  const AdamConfig& config() const { return config_; }
  const NamedTensors<T>& params() const { return params_; }
  // "exp_avg/<name>", "exp_avg_sq/<name>" for every parameter, plus the step count.
  NamedTensors<T> state() const;
  // All-or-nothing; every missing, unexpected or mis-shaped entry is named with `source`.
  void load_state(const NamedTensors<T>& state, std::int64_t steps_taken,
                  const std::string& source = "optimizer state");

 private:
  NamedTensors<T> params_;
  std::vector<Tensor<T>> exp_avg_, exp_avg_sq_;
  std::vector<bool> decay_;
  AdamConfig config_;
  std::int64_t step_ = 0;
};

}  // namespace pf
