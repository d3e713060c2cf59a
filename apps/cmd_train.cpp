// `portaformer train`: trains a model from a deck.
#include "command.hpp"
#include "train/demo_mlp.hpp"

#include <memory>

namespace pf::app {

namespace {
const char* const kTrainHelp =
    "Trains the demonstration MLP surrogate. Each option's value comes from its default, then\n"
    "the deck file (--deck), then every --set key=value in order, each overriding the one\n"
    "before; unknown keys, wrong types and malformed values stop the run before any work starts\n"
    "(exit code 2). --print-deck shows every option with its default and documentation, a\n"
    "starting point for a deck of your own. Logs, checkpoints and results go to --output;\n"
    "--resume continues from the last checkpoint found there.";

struct TrainArgs {
  DeckArgs deck;
  bool resume = false;
};
}  // namespace

void add_train_command(CLI::App& app, CommandList& commands) {
  auto args = std::make_shared<TrainArgs>();
  args->deck.output = "runs/mlp_demo";
  CLI::App* cmd = app.add_subcommand("train", "Train the demonstration MLP surrogate from a deck");
  cmd->footer(kTrainHelp);
  add_deck_options(cmd, args->deck, "Directory for logs, checkpoints and results");
  cmd->add_flag("--resume", args->resume, "Continue from the last checkpoint in --output");
  commands.push_back({cmd, [args](RunContext& ctx) {
                        const auto deck = resolve_deck(mlp_demo_schema(), args->deck, ctx, "train");
                        if (!deck) return kExitOk;
                        return run_mlp_demo(*deck, RunOptions{args->deck.output, args->resume});
                      }});
}

}  // namespace pf::app
