#include "optim/schedule.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace pf {

namespace {
// torch's _annealing_cos: from start (pct 0) to end (pct 1) along half a cosine.
double anneal_cos(double start, double end, double pct) {
  return end + (start - end) / 2.0 * (std::cos(M_PI * pct) + 1.0);
}
void require(bool ok, const std::string& field, const std::string& expected, double found) {
  if (!ok)
    throw InputError("schedule." + field + ": expected " + expected + ", found " +
                     fmt::format("{}", found));
}
}  // namespace

LrSchedule::LrSchedule(ScheduleConfig c) : config_(std::move(c)) {
  const auto& k = config_.kind;
  if (k != "constant" && k != "step" && k != "cosine" && k != "onecycle")
    throw InputError("schedule.kind: expected constant, step, cosine or onecycle; found \"" + k +
                     "\"");
  require(config_.lr > 0, "lr", "a positive learning rate", config_.lr);
  require(config_.total_steps >= 1, "total_steps", "at least 1", double(config_.total_steps));
  if (k == "step") {
    require(config_.step_size >= 1, "step_size", "at least 1", double(config_.step_size));
    require(config_.step_start >= 0, "step_start", "at least 0", double(config_.step_start));
  }
  if (k == "cosine")
    require(config_.warmup_steps >= 0 && config_.warmup_steps < config_.total_steps, "warmup_steps",
            "0 ≤ warmup_steps < total steps", double(config_.warmup_steps));
  if (k == "onecycle") {
    require(config_.pct_start > 0 && config_.pct_start < 1, "pct_start", "a fraction in (0, 1)",
            config_.pct_start);
    require(config_.pct_start * double(config_.total_steps) >= 2, "pct_start",
            "a warm-up phase of at least 2 steps (pct_start × total steps)",
            config_.pct_start * double(config_.total_steps));
  }
}

ScheduleValue LrSchedule::at(std::int64_t step) const {
  const ScheduleConfig& c = config_;
  const double s = double(step);
  if (c.kind == "step")
    return {c.lr * std::pow(c.gamma,
                            double(std::max<std::int64_t>(0, step - c.step_start) / c.step_size)),
            std::nullopt};
  if (c.kind == "cosine") {
    if (step < c.warmup_steps) return {c.lr * (s + 1) / double(c.warmup_steps), std::nullopt};
    const double span = double(c.total_steps - c.warmup_steps);
    const double pct = std::min(1.0, (s - double(c.warmup_steps)) / span);
    return {anneal_cos(c.lr, c.min_lr, pct), std::nullopt};
  }
  if (c.kind == "onecycle") {
    const double initial = c.lr / c.div_factor, final_lr = initial / c.final_div_factor;
    const double end_up = c.pct_start * double(c.total_steps) - 1,
                 end_down = double(c.total_steps - 1);
    ScheduleValue v{};
    if (s <= end_up) {
      const double pct = s / end_up;
      v.lr = anneal_cos(initial, c.lr, pct);
      if (c.cycle_momentum) v.beta1 = anneal_cos(c.max_momentum, c.base_momentum, pct);
    } else {
      // Past total_steps the schedule stays at its final value (torch raises instead).
      const double pct = std::min(1.0, (s - end_up) / (end_down - end_up));
      v.lr = anneal_cos(c.lr, final_lr, pct);
      if (c.cycle_momentum) v.beta1 = anneal_cos(c.base_momentum, c.max_momentum, pct);
    }
    return v;
  }
  return {c.lr, std::nullopt};
}

}  // namespace pf
