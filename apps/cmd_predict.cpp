// `portaformer predict`: autoregressive rollouts of a trained field model, as HDF5 and VTK.
#include "build_info.hpp"
#include "command.hpp"
#include "core/log.hpp"
#include "forecast/forecast_outputs.hpp"
#include "forecast/forecast_task.hpp"
#include "property/crystal_outputs.hpp"
#include "property/crystal_task.hpp"
#include "rollout_options.hpp"
#include "surrogate/predict_field.hpp"

#include <memory>

namespace pf::app {

namespace {
const char* const kPredictHelp =
    "Rolls a trained field model (FactFormer-2D or -3D) out autoregressively: from frames\n"
    "[start, start + in_steps) of each chosen trajectory it predicts --steps frames (default:\n"
    "to the end of the data), eval.latent_steps frames per model call. Writes\n"
    "OUTPUT/predictions.h5 (The Well's layout with the input's fields, vectors as vectors, in\n"
    "physical units, real times), OUTPUT/vtk/traj_NNNN/frame_NNNNN.vti images (2-D) or volumes\n"
    "(3-D) with <field>_pred, <field>_true and <field>_error (truth where the data have it;\n"
    "vector fields such as velocity as 3-vectors) and one OUTPUT/vtk/traj_NNNN.pvd per\n"
    "trajectory with real times (open it in ParaView), and OUTPUT/predict.json. Render PNGs\n"
    "with postprocess/plot_frames.py (matplotlib, 2-D), `xvfb-run -a pvbatch\n"
    "postprocess/render_frames.py` (slices) or `... postprocess/render_volume.py` (3-D density\n"
    "contours or volume rendering).\n"
    "Forecasters (task = \"forecast\"): one forecast of pred_len rows from the seq_len rows\n"
    "starting at --start (default: the last seq_len rows, so the forecast lies past the end of\n"
    "the data), in original units, with the truth where the data hold it: OUTPUT/predictions.h5\n"
    "(a series file), OUTPUT/forecast.csv, OUTPUT/predict.json; plot them with\n"
    "postprocess/plot_forecast.py.\n"
    "Crystal property models (task = \"crystal\"): one prediction per structure of --data (every\n"
    "structure of another dataset; of the training data, --split), or of --structures (files\n"
    "and folders: CIF, POSCAR, XYZ, JSON): OUTPUT/predictions.csv, OUTPUT/predictions.h5 (a\n"
    "structure dataset with <target>_predicted and the per-atom <target>_contribution),\n"
    "OUTPUT/vtk/NNNNN_<id>.vtm per structure (atoms, cell, graph edges; first --vtk-max) for\n"
    "ParaView or postprocess/render_crystal.py, OUTPUT/predict.json. The contribution of atom i\n"
    "is the readout linearised about the structure's mean embedding: its mean over the atoms is\n"
    "the prediction (docs/crystals.md).";

struct PredictArgs {
  PredictOptions options;
  bool no_vtk = false;
  std::string log_level = "info";
  std::vector<std::string> structures;
  std::string occupancy = "error";
  Index vtk_max = 100;
};
}  // namespace

void add_predict_command(CLI::App& app, CommandList& commands) {
  auto args = std::make_shared<PredictArgs>();
  args->options.request.output_dir = "runs/predict";
  CLI::App* cmd = app.add_subcommand(
      "predict", "Roll a trained field model out (HDF5 + VTK), or forecast a series");
  cmd->footer(kPredictHelp);
  add_rollout_options(cmd, args->options.request, args->log_level,
                      "Frames to predict (0: to the end of the data)");
  cmd->add_flag("--no-vtk", args->no_vtk, "Write only the HDF5 predictions");
  cmd->add_option("--vtk-every", args->options.vtk_every, "Write every n-th predicted frame as VTK")
      ->capture_default_str();
  cmd->add_option("--structures", args->structures,
                  "Crystal models: structure files or folders to predict (instead of --data)");
  cmd->add_option("--occupancy", args->occupancy,
                  "Crystal models: partially occupied sites in --structures")
      ->check(CLI::IsMember({"error", "majority"}))
      ->capture_default_str();
  cmd->add_option("--vtk-max", args->vtk_max, "Crystal models: structures written as VTK")
      ->capture_default_str();
  commands.push_back(
      {cmd, [args, cmd](RunContext& ctx) {
         ctx.started = true;
         init_logging(ctx.world.rank(), args->log_level, "");
         const RolloutRequest& r = args->options.request;
         if (checkpoint_task(r.checkpoint) == kForecastTaskName) {
           const bool start_given = cmd->get_option("--start")->count() > 0;
           return predict_forecaster({r.checkpoint, r.data, r.split, start_given ? r.start : -1,
                                      r.output_dir, "portaformer " + version_line()});
         }
         if (checkpoint_task(r.checkpoint) == kCrystalTaskName)
           return predict_crystal({r.checkpoint, r.data, args->structures, args->occupancy, r.split,
                                   r.output_dir, !args->no_vtk, args->vtk_max,
                                   "portaformer " + version_line()});
         args->options.vtk = !args->no_vtk;
         return predict_field(args->options);
       }});
}

}  // namespace pf::app
