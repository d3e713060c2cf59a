// portaformer: the single executable. A driver only: it parses the command line, sets up MPI,
// Kokkos and logging, and hands a resolved deck to the library.
#include "build_info.hpp"
#include "config/deck.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "core/runtime.hpp"
#include "parallel/comm.hpp"
#include "train/demo_mlp.hpp"

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <Kokkos_Core.hpp>

#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

namespace {

// Exit codes a batch script can branch on (e.g. resubmit only after a non-input failure).
constexpr int kExitOk = 0;
constexpr int kExitInternal = 1;
constexpr int kExitInput = 2;
constexpr int kExitNonFinite = 3;

const char* const kProgramHelp =
    "PortaFormer trains and evaluates transformer surrogates for scientific data (PDE fields,\n"
    "crystal structures, time series) on Kokkos, so one code runs on a laptop, a CPU node or a\n"
    "GPU node, as one process or as many MPI ranks (launch with mpirun/srun). Every run is\n"
    "driven by a typed TOML deck; the resolved deck is logged and stored with the outputs.";

const char* const kProgramFooter =
    "Exit codes: 0 success, 1 internal error, 2 bad input (command line, deck, data files),\n"
    "3 training met NaN/Inf. Run 'portaformer COMMAND --help' for a command's options.\n"
    "Kokkos options (--kokkos-...) are accepted before or after the command.";

const char* const kInfoHelp =
    "Prints how this build was made and what it runs on: the PortaFormer version, compiler and\n"
    "build type; the Kokkos version, backends, default execution space and its concurrency; the\n"
    "number of MPI ranks and the MPI library; and the versions of the linked libraries (HDF5,\n"
    "FFTW, OpenBLAS with its configuration and thread count, VTK, spdlog, fmt, CLI11, toml11,\n"
    "nlohmann_json). Attach it to bug reports and benchmark results; --json for scripts.";

const char* const kTrainHelp =
    "Trains the demonstration MLP surrogate. Each option's value comes from its default, then\n"
    "the deck file (--deck), then every --set key=value in order, each overriding the one\n"
    "before; unknown keys, wrong types and malformed values stop the run before any work starts\n"
    "(exit code 2). --print-deck shows every option with its default and documentation, a\n"
    "starting point for a deck of your own. Logs, checkpoints and results go to --output;\n"
    "--resume continues from the last checkpoint found there.";

struct TrainArgs {
  std::string deck;
  std::vector<std::string> sets;
  bool print_deck = false;
  std::string output = "runs/mlp_demo";
  bool resume = false;
  std::string log_level = "info";
  std::string log_file;
};

int run_info(bool as_json, const pf::Comm& world) {
  const auto info = pf::app::build_info();  // collective with MPI: every rank calls it
  if (!world.is_root()) return kExitOk;
  std::cout << (as_json ? info.dump(2) + "\n" : pf::app::format_build_info(info)) << std::flush;
  return kExitOk;
}

// `started` is set once ranks may diverge: from there on, an error may be one rank's alone.
int run_train(const TrainArgs& args, const pf::Comm& world, const std::string& threads,
              bool& started) {
  const pf::DeckSchema schema = pf::mlp_demo_schema();
  if (args.print_deck) {
    if (world.is_root()) std::cout << schema.documented_defaults() << std::flush;
    return kExitOk;
  }
  const pf::Deck deck = pf::Deck::resolve(schema, args.deck, args.sets);
  started = true;  // only rank 0 opens the log file
  pf::init_logging(world.rank(), args.log_level, args.log_file);
  spdlog::info("portaformer {} train on {} rank(s); output {}", pf::app::version_line(),
               world.size(), args.output);
  spdlog::info("threads: Kokkos {} ({}), {}", Kokkos::DefaultExecutionSpace().concurrency(),
               Kokkos::DefaultExecutionSpace::name(), threads);
  spdlog::info("resolved deck:\n{}", deck.to_toml());
  return pf::run_mlp_demo(deck, pf::RunOptions{args.output, args.resume});
}

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

  bool info_json = false;
  CLI::App* info = app.add_subcommand("info", "Print the build's versions, backends and resources");
  info->footer(kInfoHelp);
  info->add_flag("--json", info_json, "Print the report as JSON");

  TrainArgs train_args;
  CLI::App* train =
      app.add_subcommand("train", "Train the demonstration MLP surrogate from a deck");
  train->footer(kTrainHelp);
  train->add_option("-d,--deck", train_args.deck, "TOML deck file (default: built-in defaults)")
      ->check(CLI::ExistingFile);
  train
      ->add_option(
          "-s,--set", train_args.sets,
          "Override one option, key=value with a TOML value (repeatable): -s optim.lr=3e-4")
      ->type_name("KEY=VALUE")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  train->add_flag("--print-deck", train_args.print_deck,
                  "Print every option with its default and documentation as TOML, then exit");
  train->add_option("-o,--output", train_args.output, "Directory for logs, checkpoints and results")
      ->capture_default_str();
  train->add_flag("--resume", train_args.resume, "Continue from the last checkpoint in --output");
  train->add_option("--log-level", train_args.log_level, "Logging level on rank 0")
      ->check(CLI::IsMember(pf::log_level_names()))
      ->capture_default_str();
  train->add_option("--log-file", train_args.log_file, "Also write rank 0's log to this file");

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
  if (info->parsed()) return run_info(info_json, world);
  return run_train(train_args, world, threads, started);
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
