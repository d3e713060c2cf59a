#include "command.hpp"

#include "build_info.hpp"
#include "core/log.hpp"

#include <spdlog/spdlog.h>
#include <Kokkos_Core.hpp>

#include <iostream>

namespace pf::app {

void add_deck_options(CLI::App* cmd, DeckArgs& args, const std::string& output_doc) {
  cmd->add_option("-d,--deck", args.deck, "TOML deck file (default: built-in defaults)")
      ->check(CLI::ExistingFile);
  cmd->add_option("-s,--set", args.sets,
                  "Override one option, key=value with a TOML value (repeatable): -s optim.lr=3e-4")
      ->type_name("KEY=VALUE")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_flag("--print-deck", args.print_deck,
                "Print every option with its default and documentation as TOML, then exit");
  auto* output = cmd->add_option("-o,--output", args.output, output_doc);
  if (!args.output.empty()) output->capture_default_str();
  cmd->add_option("--log-level", args.log_level, "Logging level on rank 0")
      ->check(CLI::IsMember(log_level_names()))
      ->capture_default_str();
  cmd->add_option("--log-file", args.log_file, "Also write rank 0's log to this file");
}

std::optional<Deck> resolve_deck(const DeckSchema& schema, const DeckArgs& args, RunContext& ctx,
                                 const std::string& what) {
  if (args.print_deck) {
    if (ctx.world.is_root()) std::cout << schema.documented_defaults() << std::flush;
    return std::nullopt;
  }
  Deck deck = Deck::resolve(schema, args.deck, args.sets);
  ctx.started = true;  // only rank 0 opens the log file
  init_logging(ctx.world.rank(), args.log_level, args.log_file);
  spdlog::info("portaformer {} {} on {} rank(s); output {}", version_line(), what, ctx.world.size(),
               args.output);
  spdlog::info("threads: Kokkos {} ({}), {}", Kokkos::DefaultExecutionSpace().concurrency(),
               Kokkos::DefaultExecutionSpace::name(), ctx.threads);
  spdlog::info("resolved deck:\n{}", deck.to_toml());
  return deck;
}

}  // namespace pf::app
