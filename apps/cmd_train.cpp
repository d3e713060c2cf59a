// `portaformer train`: trains a model from a deck; the deck's `task` picks the model.
#include "command.hpp"
#include "core/error.hpp"
#include "forecast/forecast_task.hpp"
#include "forecast/train_forecast.hpp"
#include "property/crystal_task.hpp"
#include "property/train_crystal.hpp"
#include "surrogate/field_task.hpp"
#include "surrogate/train_field.hpp"
#include "train/demo_mlp.hpp"

#include <toml.hpp>

#include <memory>

namespace pf::app {

namespace {
const char* const kTrainHelp =
    "Trains a model. The deck's `task` picks it: factformer2d (default) trains FactFormer-2D on\n"
    "a 2-D field dataset (data.path, e.g. from `portaformer simulate`) with the reference\n"
    "recipe; factformer3d trains FactFormer-3D on a 3-D dataset (e.g. smoke: density and\n"
    "velocity) with the smoke recipe; mlp_demo trains the small MLP demonstration; forecast\n"
    "trains a time-series forecaster (model.name: linear, nlinear, dlinear, ...) with the\n"
    "LTSF-Linear protocol; crystal trains iComFormer/eComFormer on a structure dataset\n"
    "(data.path, data.target) with the ComFormer recipe. Each option's value comes from its "
    "default, then the deck file\n"
    "(--deck), then every --set key=value in order, each overriding\n"
    "the one before; unknown keys, wrong types and malformed values stop the run before any\n"
    "work starts (exit code 2). --print-deck shows every option of the task with its default\n"
    "and documentation (combine with --set task=... for another task). Logs, checkpoints,\n"
    "metrics.json and history.csv go to --output; --resume continues from the last checkpoint\n"
    "there. Decks: data/factformer2d_kolmogorov.toml (reference recipe),\n"
    "data/factformer3d_smoke.toml (reference smoke recipe), data/mlp_demo.toml,\n"
    "data/forecast_*.toml, data/icomformer.toml, data/ecomformer.toml.";

struct TrainArgs {
  DeckArgs deck;
  bool resume = false;
};

// The task named by the last `--set task=...`, else by the deck file, else the default. Only
// this key is read here; the chosen task's schema then checks the whole deck.
std::string task_of(const DeckArgs& args) {
  for (auto it = args.sets.rbegin(); it != args.sets.rend(); ++it) {
    const auto eq = it->find('=');
    if (eq == std::string::npos) continue;
    std::string key = it->substr(0, eq), value = it->substr(eq + 1);
    key.erase(key.find_last_not_of(" \t") + 1);
    if (key != "task") continue;
    value.erase(0, value.find_first_not_of(" \t\""));
    value.erase(value.find_last_not_of(" \t\"") + 1);
    return value;
  }
  if (!args.deck.empty()) {
    try {
      const toml::value doc = toml::parse(args.deck);
      if (doc.is_table() && doc.contains("task") && doc.at("task").is_string())
        return doc.at("task").as_string();
    } catch (const std::exception&) {
      // Malformed decks are reported, with their location, when the schema resolves them.
    }
  }
  return "factformer2d";
}

}  // namespace

void add_train_command(CLI::App& app, CommandList& commands) {
  auto args = std::make_shared<TrainArgs>();
  args->deck.output = "runs/train";
  CLI::App* cmd = app.add_subcommand(
      "train", "Train a model (FactFormer-2D/3D, forecasters, MLP demo) from a deck");
  cmd->footer(kTrainHelp);
  add_deck_options(cmd, args->deck, "Directory for logs, checkpoints and results");
  cmd->add_flag("--resume", args->resume, "Continue from the last checkpoint in --output");
  commands.push_back(
      {cmd, [args](RunContext& ctx) {
         const std::string task = task_of(args->deck);
         const RunOptions run{args->deck.output, args->resume};
         if (task == "mlp_demo") {
           const auto deck = resolve_deck(mlp_demo_schema(), args->deck, ctx, "train");
           return deck ? run_mlp_demo(*deck, run) : kExitOk;
         }
         if (task == kForecastTaskName) {
           const auto deck = resolve_deck(forecast_task_schema(), args->deck, ctx, "train");
           return deck ? train_forecaster(*deck, run) : kExitOk;
         }
         if (task == kCrystalTaskName) {
           const auto deck = resolve_deck(crystal_task_schema(), args->deck, ctx, "train");
           return deck ? train_crystal_model(*deck, run) : kExitOk;
         }
         if (!find_field_task(task)) {
           std::string names;
           for (const FieldTask& t : field_tasks())
             names += t.name + ", ";
           throw InputError("option 'task': expected one of " + names +
                            "mlp_demo, forecast, crystal, found '" + task + "'");
         }
         const auto deck = resolve_deck(field_task_schema(task), args->deck, ctx, "train");
         return deck ? train_field_model(*deck, run) : kExitOk;
       }});
}

}  // namespace pf::app
