// `portaformer import-structures`: crystal structure files (+ a CSV of targets) → one HDF5
// structure dataset.
#include "build_info.hpp"
#include "command.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "core/progress.hpp"
#include "crystal/import.hpp"

#include <spdlog/spdlog.h>

#include <memory>

namespace pf::app {

namespace {
const char* const kImportHelp =
    "Reads crystal structures from files and folders (CIF, POSCAR/CONTCAR, extended XYZ, ASE\n"
    "database JSON; folders are scanned for those by name) and writes them, with their targets,\n"
    "into one HDF5 structure dataset (docs/data-layout.md). Targets come from the files\n"
    "(extended XYZ key=value pairs, ASE key_value_pairs) and from --targets, a CSV whose first\n"
    "column is the structure id: the file name, with or without its extension, or\n"
    "'file:frame' for multi-structure files; a header row names the targets. With\n"
    "--on-error skip, files that fail are reported and left out; with stop (the default) the\n"
    "first failure ends the run. The dataset appears only once complete.";

struct ImportArgs {
  std::vector<std::string> inputs;
  std::string output = "structures.h5";
  std::string targets;
  std::vector<std::string> units;
  std::string on_error = "stop";
  std::string occupancy = "error";
  double min_distance = 0.5;
  bool primitive = false;
  double symprec = crystal::kDefaultSymprec;
  bool recursive = false;
  std::string log_level = "info";
  std::string log_file;
};

std::map<std::string, std::string> parse_units(const std::vector<std::string>& items) {
  std::map<std::string, std::string> units;
  for (const auto& item : items) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw InputError("--units: expected NAME=UNITS (e.g. formation_energy=eV/atom), found '" +
                       item + "'");
    }
    units[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return units;
}

int run_import(const ImportArgs& args, const std::string& config, RunContext& ctx) {
  if (!ctx.world.is_root()) return kExitOk;  // reading files is one process's job
  init_logging(ctx.world.rank(), args.log_level, args.log_file);
  crystal::ImportOptions options;
  options.read.occupancy = crystal::parse_occupancy_policy(args.occupancy, "--occupancy");
  options.read.min_distance = args.min_distance;
  options.stop_on_error = args.on_error == "stop";
  options.primitive = args.primitive;
  options.symprec = args.symprec;
  options.targets_csv = args.targets;
  options.units = parse_units(args.units);
  options.recursive = args.recursive;

  const auto sources = crystal::list_structure_files(args.inputs, args.recursive);
  spdlog::info("portaformer {} import-structures: {} file(s) → {}", version_line(), sources.size(),
               args.output);
  Progress progress("import", static_cast<std::int64_t>(sources.size()), true);
  auto result = crystal::import_structures(sources, options, [&](std::size_t done, std::size_t) {
    progress.update(static_cast<std::int64_t>(done));
  });
  progress.finish();
  result.dataset.config = config;
  result.dataset.producer = "portaformer " + version_line();
  crystal::write_structure_dataset(args.output, result.dataset);

  std::size_t atoms = 0;
  for (const auto& s : result.dataset.structures)
    atoms += s.frac.size();
  const auto names = crystal::target_names(result.dataset.structures);
  spdlog::info("wrote {}: {} structures, {} atoms, from {} file(s); targets: {}", args.output,
               result.dataset.structures.size(), atoms, result.files_read,
               names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", ")));
  std::size_t partial = 0;
  for (const auto& s : result.dataset.structures) {
    for (double occupancy : s.occupancy) {
      if (occupancy < 0.99) {
        ++partial;
        break;
      }
    }
  }
  if (partial > 0) {
    spdlog::warn(
        "{} structure(s) have partially occupied sites, resolved by the majority policy "
        "(the kept site's occupancy is in /atoms/occupancy)",
        partial);
  }
  if (!result.failures.empty()) {
    spdlog::warn("{} file(s) failed and were skipped:", result.failures.size());
    for (const auto& failure : result.failures)
      spdlog::warn("  {}", failure.reason);
  }
  if (!result.unused_target_ids.empty()) {
    spdlog::warn("{} id(s) in {} matched no structure, e.g. '{}'", result.unused_target_ids.size(),
                 args.targets, result.unused_target_ids.front());
  }
  return kExitOk;
}

}  // namespace

void add_import_structures_command(CLI::App& app, CommandList& commands) {
  auto args = std::make_shared<ImportArgs>();
  CLI::App* cmd = app.add_subcommand("import-structures",
                                     "Build a crystal structure dataset (HDF5) from files");
  cmd->footer(kImportHelp);
  cmd->add_option("inputs", args->inputs, "Structure files and folders")->required();
  cmd->add_option("-o,--output", args->output, "HDF5 dataset to write")->capture_default_str();
  cmd->add_option("-t,--targets", args->targets, "CSV of targets: id,name1,name2,…")
      ->check(CLI::ExistingFile);
  cmd->add_option("--units", args->units, "Units of a target, NAME=UNITS (repeatable)")
      ->type_name("NAME=UNITS");
  cmd->add_option("--on-error", args->on_error, "On a file that fails: stop, or skip it")
      ->check(CLI::IsMember({"stop", "skip"}))
      ->capture_default_str();
  cmd->add_option("--occupancy", args->occupancy,
                  "Partially occupied sites: error, or keep the majority species per position "
                  "(dropping positions less than half occupied)")
      ->check(CLI::IsMember({"error", "majority"}))
      ->capture_default_str();
  cmd->add_option("--min-distance", args->min_distance,
                  "Atoms nearer than this (Å, periodic images included) are an error")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_flag("--primitive", args->primitive,
                "Reduce each structure to its primitive cell "
                "(spglib, standardised)");
  cmd->add_option("--symprec", args->symprec, "spglib's distance tolerance in Å (--primitive)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_flag("-r,--recursive", args->recursive, "Scan folders recursively");
  cmd->add_option("--log-level", args->log_level, "Logging level")
      ->check(CLI::IsMember(log_level_names()))
      ->capture_default_str();
  cmd->add_option("--log-file", args->log_file, "Also write the log to this file");
  commands.push_back({cmd, [args, cmd](RunContext& ctx) {
                        return run_import(*args, cmd->config_to_str(true, false), ctx);
                      }});
}

}  // namespace pf::app
