// `portaformer simulate`: generates training data with a simulator chosen by the deck.
#include "build_info.hpp"
#include "command.hpp"
#include "sim/simulate.hpp"

#include <memory>

namespace pf::app {

namespace {
const char* const kSimulateHelp =
    "Runs the simulator named by the deck's top-level `simulator` key (default kolmogorov2d)\n"
    "and writes every trajectory into one HDF5 file in The Well's layout (docs/data-layout.md).\n"
    "Options come from their defaults, then the deck (--deck), then each --set key=value;\n"
    "--print-deck shows them all with their documentation (add --set simulator=NAME for\n"
    "another simulator). Under mpiexec, trajectories are spread over the ranks; the file is the\n"
    "same for any number of ranks and appears only once complete.";
}  // namespace

void add_simulate_command(CLI::App& app, CommandList& commands) {
  auto args = std::make_shared<DeckArgs>();
  CLI::App* cmd = app.add_subcommand("simulate", "Generate PDE trajectories (HDF5, The Well)");
  cmd->footer(kSimulateHelp);
  add_deck_options(cmd, *args, "HDF5 file to write (default runs/<simulator>.h5)");
  commands.push_back(
      {cmd, [args](RunContext& ctx) {
         const std::string simulator = sim::simulator_of(args->deck, args->sets);
         if (args->output.empty()) args->output = "runs/" + simulator + ".h5";
         const auto deck = resolve_deck(sim::simulator_schema(simulator), *args, ctx, "simulate");
         if (!deck) return kExitOk;
         sim::run_simulation(*deck, {args->output, "portaformer " + version_line()}, ctx.world);
         return kExitOk;
       }});
}

}  // namespace pf::app
