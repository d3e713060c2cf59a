// `portaformer evaluate`: scores rollouts of a trained field model against the data.
#include "build_info.hpp"
#include "command.hpp"
#include "core/log.hpp"
#include "forecast/forecast_outputs.hpp"
#include "forecast/forecast_task.hpp"
#include "property/crystal_outputs.hpp"
#include "property/crystal_task.hpp"
#include "rollout_options.hpp"
#include "surrogate/evaluate_field.hpp"

#include <memory>

namespace pf::app {

namespace {
const char* const kEvaluateHelp =
    "Rolls a trained field model (FactFormer-2D or -3D) out on the test trajectories (or\n"
    "--split/--trajectories) from frame --start and scores every predicted frame against the\n"
    "data: relative L2 error (physical units), correlation with the truth and the time it stays\n"
    "above --threshold, over all channels and, for data with several fields (e.g. density and\n"
    "velocity), per field; and, for periodic 2-D vorticity data, the kinetic-energy spectrum\n"
    "(averaged over frames) and its mean |log10| error up to the 2/3-rule cutoff. Trajectories\n"
    "are spread over MPI ranks. Writes OUTPUT/metrics.json, OUTPUT/rollout_metrics.csv\n"
    "(step,time,rel_l2,correlation[,rel_l2_<field>,correlation_<field>...]) and\n"
    "OUTPUT/spectrum.csv (k,energy_true,energy_pred); plot them with\n"
    "postprocess/plot_rollout.py.\n"
    "Forecasters (task = \"forecast\"): MSE and MAE over every window of --split (default test;\n"
    "none dropped), on standardised data as the references report them and in original units,\n"
    "overall and per channel: OUTPUT/metrics.json and OUTPUT/metrics.csv.\n"
    "Crystal property models (task = \"crystal\"): MAE, RMSE and R² in the target's units on\n"
    "--split of the training data (default test) or on every structure of another --data:\n"
    "OUTPUT/metrics.json, OUTPUT/metrics.csv and OUTPUT/per_structure.csv (plot with\n"
    "postprocess/plot_parity.py).";

struct EvaluateArgs {
  EvaluateOptions options;
  std::string log_level = "info";
};
}  // namespace

void add_evaluate_command(CLI::App& app, CommandList& commands) {
  auto args = std::make_shared<EvaluateArgs>();
  args->options.request.output_dir = "runs/evaluate";
  CLI::App* cmd =
      app.add_subcommand("evaluate", "Score rollouts of a trained field model, or a forecaster");
  cmd->footer(kEvaluateHelp);
  add_rollout_options(cmd, args->options.request, args->log_level,
                      "Rollout length (0: to the end of the data)");
  cmd->add_option("--threshold", args->options.threshold, "Correlation threshold")
      ->capture_default_str();
  commands.push_back(
      {cmd, [args](RunContext& ctx) {
         ctx.started = true;
         init_logging(ctx.world.rank(), args->log_level, "");
         const RolloutRequest& r = args->options.request;
         if (checkpoint_task(r.checkpoint) == kForecastTaskName)
           return evaluate_forecaster({r.checkpoint, r.data, r.split, -1, r.output_dir, ""});
         if (checkpoint_task(r.checkpoint) == kCrystalTaskName)
           return evaluate_crystal(
               {r.checkpoint, r.data, r.split, r.output_dir, "portaformer " + version_line()});
         return evaluate_field(args->options);
       }});
}

}  // namespace pf::app
