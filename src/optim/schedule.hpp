// Learning-rate schedules, evaluated at a step index (0-based, the step about to be taken), so a
// resumed run needs nothing but the step count.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace pf {

struct ScheduleConfig {
  std::string kind = "constant";  // constant | step | cosine | onecycle
  double lr = 1e-3;               // base lr (peak lr for cosine and onecycle)
  std::int64_t total_steps = 1;
  // step: lr · gamma^⌊max(0, step − step_start) / step_size⌋ (step_start = one epoch of steps
  // gives TSLib's lradj type1: halve each epoch from the third)
  std::int64_t step_size = 1000;
  double gamma = 0.1;
  std::int64_t step_start = 0;
  // cosine: linear warm-up from lr/warmup_steps to lr, then cosine decay to min_lr
  std::int64_t warmup_steps = 0;
  double min_lr = 0.0;
  // onecycle: torch.optim.lr_scheduler.OneCycleLR (cos annealing, two phases)
  double pct_start = 0.3, div_factor = 25.0, final_div_factor = 1e4;
  bool cycle_momentum = true;  // β₁ moves inversely to lr between base and max momentum
  double base_momentum = 0.85, max_momentum = 0.95;
};

struct ScheduleValue {
  double lr;
  std::optional<double> beta1;  // set only when the schedule cycles momentum
};

class LrSchedule {
 public:
  explicit LrSchedule(ScheduleConfig config);  // validates; InputError names the bad field
  ScheduleValue at(std::int64_t step) const;
  const ScheduleConfig& config() const { return config_; }

 private:
  ScheduleConfig config_;
};

}  // namespace pf
