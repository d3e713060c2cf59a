// `portaformer info`: how this build was made and what it runs on.
#include "build_info.hpp"
#include "command.hpp"

#include <iostream>
#include <memory>

namespace pf::app {

namespace {
const char* const kInfoHelp =
    "Prints how this build was made and what it runs on: the PortaFormer version, compiler and\n"
    "build type; the Kokkos version, backends, default execution space and its concurrency; the\n"
    "number of MPI ranks and the MPI library; and the versions of the linked libraries (HDF5,\n"
    "FFTW, OpenBLAS with its configuration and thread count, VTK, spdlog, fmt, CLI11, toml11,\n"
    "nlohmann_json). Attach it to bug reports and benchmark results; --json for scripts.";
}  // namespace

void add_info_command(CLI::App& app, CommandList& commands) {
  auto as_json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("info", "Print the build's versions, backends and resources");
  cmd->footer(kInfoHelp);
  cmd->add_flag("--json", *as_json, "Print the report as JSON");
  commands.push_back({cmd, [as_json](RunContext& ctx) {
                        const auto info = build_info();  // collective with MPI: every rank calls it
                        if (!ctx.world.is_root()) return kExitOk;
                        std::cout << (*as_json ? info.dump(2) + "\n" : format_build_info(info))
                                  << std::flush;
                        return kExitOk;
                      }});
}

}  // namespace pf::app
