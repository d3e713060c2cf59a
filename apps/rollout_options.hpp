// The options `predict` and `evaluate` share: which model, which data, which trajectories, from
// which frame and how far, where to write, and how much to log.
#pragma once

#include "surrogate/trajectory_rollout.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace pf::app {

void add_rollout_options(CLI::App* cmd, RolloutRequest& request, std::string& log_level,
                         const std::string& steps_doc);

}  // namespace pf::app
