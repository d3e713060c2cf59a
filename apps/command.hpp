// What every subcommand of `portaformer` shares: its registration and the deck options.
#pragma once

#include "config/deck.hpp"
#include "parallel/comm.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pf::app {

// Exit codes a batch script can branch on (e.g. resubmit only after a non-input failure).
constexpr int kExitOk = 0;
constexpr int kExitInternal = 1;
constexpr int kExitInput = 2;
constexpr int kExitNonFinite = 3;

// Context handed to a command once Kokkos is up.
struct RunContext {
  const Comm& world;
  std::string threads;  // how host threads were balanced, for the log
  // Set once ranks may diverge: from there on, an error may be one rank's alone.
  bool& started;
};

struct Command {
  CLI::App* app;  // parsed() tells whether this command was chosen
  std::function<int(RunContext&)> run;
};
using CommandList = std::vector<Command>;

// The options of every deck-driven command: --deck, --set, --print-deck, --output, logging.
struct DeckArgs {
  std::string deck;
  std::vector<std::string> sets;
  bool print_deck = false;
  std::string output;
  std::string log_level = "info";
  std::string log_file;
};

// Adds the options above to `cmd`; a non-empty args.output is shown as the --output default.
void add_deck_options(CLI::App* cmd, DeckArgs& args, const std::string& output_doc);

// Resolves the deck (or prints the documented defaults and returns false), starts logging on
// rank 0 and logs the command, the threads and the resolved deck.
// Returns nullopt after --print-deck.
std::optional<Deck> resolve_deck(const DeckSchema& schema, const DeckArgs& args, RunContext& ctx,
                                 const std::string& what);

void add_info_command(CLI::App& app, CommandList& commands);
void add_train_command(CLI::App& app, CommandList& commands);
void add_forward_command(CLI::App& app, CommandList& commands);
void add_simulate_command(CLI::App& app, CommandList& commands);
void add_predict_command(CLI::App& app, CommandList& commands);
void add_evaluate_command(CLI::App& app, CommandList& commands);
void add_import_structures_command(CLI::App& app, CommandList& commands);
void add_structures_vtk_command(CLI::App& app, CommandList& commands);

}  // namespace pf::app
