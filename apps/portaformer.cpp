// portaformer: the single executable. A driver only: it parses the command line, sets up MPI,
// Kokkos and logging, and hands the chosen command (apps/cmd_*.cpp) a resolved deck.
#include "build_info.hpp"
#include "command.hpp"
#include "core/error.hpp"
#include "core/runtime.hpp"
#include "parallel/comm.hpp"

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <Kokkos_Core.hpp>

#include <exception>
#include <iostream>
#include <string>
#include <vector>

namespace {

using namespace pf::app;

const char* const kProgramHelp =
    "PortaFormer trains and evaluates transformer surrogates for scientific data (PDE fields,\n"
    "crystal structures, time series) on Kokkos, so one code runs on a laptop, a CPU node or a\n"
    "GPU node, as one process or as many MPI ranks (launch with mpirun/srun). Every run is\n"
    "driven by a typed TOML deck; the resolved deck is logged and stored with the outputs.";

const char* const kProgramFooter =
    "Exit codes: 0 success, 1 internal error, 2 bad input (command line, deck, data files),\n"
    "3 training met NaN/Inf. Run 'portaformer COMMAND --help' for a command's options.\n"
    "Kokkos options (--kokkos-...) are accepted before or after the command.";

// Kokkos 3.4 also acts on unprefixed flags such as --help and --threads, so it sees only the
// --kokkos-* arguments and the command line parser sees the rest.
struct SplitArgs {
  std::vector<char*> kokkos;
  std::vector<char*> cli;
};

SplitArgs split_args(int argc, char** argv) {
  SplitArgs split;
  split.kokkos.push_back(argv[0]);
  split.cli.push_back(argv[0]);
  for (int i = 1; i < argc; ++i) {
    const bool for_kokkos = std::string(argv[i]).rfind("--kokkos-", 0) == 0;
    (for_kokkos ? split.kokkos : split.cli).push_back(argv[i]);
  }
  return split;
}

// Parses the command line, then starts Kokkos and runs the command; returns the exit code.
// Until `started` is set every rank does the same work on the same input, so an error is every
// rank's error; after it, an error on one rank may leave the others waiting in a collective.
int run(int argc, char** argv, const pf::Comm& world, bool& started) {
  CLI::App app(kProgramHelp, "portaformer");
  app.footer(kProgramFooter);
  app.set_version_flag("--version", "portaformer " + pf::app::version_line());
  app.require_subcommand(1);

  CommandList commands;
  add_info_command(app, commands);
  add_train_command(app, commands);
  add_forward_command(app, commands);
  add_simulate_command(app, commands);
  add_predict_command(app, commands);
  add_evaluate_command(app, commands);
  add_import_structures_command(app, commands);
  add_structures_vtk_command(app, commands);

  SplitArgs args = split_args(argc, argv);
  try {
    app.parse(static_cast<int>(args.cli.size()), args.cli.data());
  } catch (const CLI::ParseError& e) {
    // Every rank sees the same command line: let one speak.
    if (world.is_root()) return app.exit(e) == 0 ? kExitOk : kExitInput;
    return e.get_exit_code() == 0 ? kExitOk : kExitInput;
  }

  // After parsing, so --help and mistakes on the command line answer without starting a device.
  int kokkos_argc = static_cast<int>(args.kokkos.size());
  Kokkos::ScopeGuard kokkos(kokkos_argc, args.kokkos.data());
  const std::string threads = pf::balance_host_threads();
  RunContext ctx{world, threads, started};
  for (auto& command : commands)
    if (command.app->parsed()) return command.run(ctx);
  return kExitInternal;  // require_subcommand(1) makes this unreachable
}

}  // namespace

int main(int argc, char** argv) {
  pf::ProcessRuntime runtime(argc, argv);
  const pf::Comm world = pf::Comm::world();
  int rc = kExitOk;
  bool started = false;
  // Before `started` every rank fails alike and rank 0 speaks for all; after it, every rank
  // reports its own failure, which may not be rank 0's.
  const auto report = [&](const char* kind, const std::exception& e) {
    if (!started && !world.is_root()) return;
    // One write per message, so lines from several ranks do not interleave.
    std::string who = "portaformer";
    if (world.size() > 1) who += " (rank " + std::to_string(world.rank()) + ")";
    std::cerr << who + ": " + kind + ": " + e.what() + "\n" << std::flush;
  };
  try {
    rc = run(argc, argv, world, started);
  } catch (const pf::InputError& e) {
    report("input error", e);
    rc = kExitInput;
  } catch (const pf::NonFiniteError& e) {
    report("non-finite values", e);
    rc = kExitNonFinite;
  } catch (const std::exception& e) {
    report("error", e);
    rc = kExitInternal;
  }
  spdlog::shutdown();
  if (rc != kExitOk && started && world.size() > 1) runtime.abort_all_ranks(rc);
  return rc;
}
