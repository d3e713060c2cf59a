#include "rollout_options.hpp"

#include "core/log.hpp"

namespace pf::app {

void add_rollout_options(CLI::App* cmd, RolloutRequest& request, std::string& log_level,
                         const std::string& steps_doc) {
  cmd->add_option("-c,--checkpoint", request.checkpoint,
                  "Checkpoint file, or a training run directory")
      ->required();
  cmd->add_option("--data", request.data, "Dataset (default: the one the model was trained on)");
  cmd->add_option("--split", request.split, "Trajectories of this split of the training deck")
      ->check(CLI::IsMember({"train", "valid", "test", "all"}))
      ->capture_default_str();
  cmd->add_option("--trajectories", request.trajectories, "Trajectory indices (overrides --split)")
      ->delimiter(',');
  cmd->add_option("--start", request.start, "First input frame")->capture_default_str();
  cmd->add_option("--steps", request.steps, steps_doc)->capture_default_str();
  cmd->add_option("-o,--output", request.output_dir, "Output directory")->capture_default_str();
  cmd->add_option("--log-level", log_level, "Logging level on rank 0")
      ->check(CLI::IsMember(log_level_names()))
      ->capture_default_str();
}

}  // namespace pf::app
