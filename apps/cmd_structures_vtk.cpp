// `portaformer structures-vtk`: a structure dataset → VTK files for ParaView, one set per
// structure (src/io/vtk_crystal.hpp).
#include "command.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "crystal/structure_dataset.hpp"
#include "io/vtk_crystal.hpp"

#include <spdlog/spdlog.h>

#include <cctype>
#include <filesystem>
#include <memory>
#include <set>

namespace pf::app {

namespace {
const char* const kStructuresVtkHelp =
    "Writes the structures of a dataset made by import-structures or by simulate (simulator =\n"
    "\"crystals\") as VTK for ParaView: per structure <dir>/<id>.vtp (atoms with species,\n"
    "occupancy and every per-atom array of the dataset, e.g. charge and ewald_site_energy; the\n"
    "targets as field data), <id>_cell.vtp (the cell box) and <id>.vtm (both as one item).\n"
    "Characters of ids that are not safe in file names become '_' (a name taken already gets\n"
    "-<index>). Render with\n"
    "  xvfb-run -a pvbatch postprocess/render_crystal.py <dir>/<id>.vtm --out <id>.png";

struct VtkArgs {
  std::string dataset;
  std::string output = "structures_vtk";
  std::int64_t first = 10;
  std::string log_level = "info";
};

std::string safe_name(const std::string& id) {
  std::string out = id;
  for (char& c : out) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) c = '_';
  }
  return out;
}

int run_structures_vtk(const VtkArgs& args, RunContext& ctx) {
  if (!ctx.world.is_root()) return kExitOk;
  init_logging(ctx.world.rank(), args.log_level);
  const auto data = crystal::read_structure_dataset(args.dataset);
  const std::size_t count =
      args.first <= 0 ? data.structures.size()
                      : std::min<std::size_t>(data.structures.size(), std::size_t(args.first));
  std::filesystem::create_directories(args.output);
  std::size_t offset = 0;
  std::set<std::string> used;
  for (std::size_t i = 0; i < count; ++i) {
    const auto& s = data.structures[i];
    vtk::CrystalVtkInput input;
    input.structure = &s;
    for (const auto& [name, values] : data.atom_fields) {
      input.atom_fields[name].assign(values.begin() + std::ptrdiff_t(offset),
                                     values.begin() + std::ptrdiff_t(offset + s.frac.size()));
    }
    offset += s.frac.size();
    // Ids that differ only in unsafe characters would share a name: number the later ones.
    std::string name = safe_name(s.id);
    if (!used.insert(name).second) name += "-" + std::to_string(i);
    used.insert(name);
    vtk::write_crystal(args.output + "/" + name, input);
  }
  spdlog::info("wrote {} of {} structures from {} to {}/", count, data.structures.size(),
               args.dataset, args.output);
  return kExitOk;
}

}  // namespace

void add_structures_vtk_command(CLI::App& app, CommandList& commands) {
  auto args = std::make_shared<VtkArgs>();
  CLI::App* cmd =
      app.add_subcommand("structures-vtk", "Write structures of a dataset as VTK for ParaView");
  cmd->footer(kStructuresVtkHelp);
  cmd->add_option("dataset", args->dataset, "Structure dataset (HDF5)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", args->output, "Folder to write into")->capture_default_str();
  cmd->add_option("-n,--first", args->first, "Write the first N structures (0: all)")
      ->capture_default_str();
  cmd->add_option("--log-level", args->log_level, "Logging level")
      ->check(CLI::IsMember(log_level_names()))
      ->capture_default_str();
  commands.push_back({cmd, [args](RunContext& ctx) { return run_structures_vtk(*args, ctx); }});
}

}  // namespace pf::app
