#include "sim/crystals/crystals_run.hpp"

#include "core/progress.hpp"
#include "crystal/structure_dataset.hpp"
#include "sim/crystals/crystals_deck.hpp"

#include <spdlog/spdlog.h>
#include <Kokkos_Timer.hpp>

#include <filesystem>

namespace pf::sim {
namespace {

std::string part_path(const std::string& output, int rank) {
  return output + ".part" + std::to_string(rank);
}

void append(crystal::StructureDataset& to, crystal::StructureDataset&& from) {
  for (auto& s : from.structures)
    to.structures.push_back(std::move(s));
  for (auto& [name, values] : from.atom_fields) {
    auto& dest = to.atom_fields[name];
    dest.insert(dest.end(), values.begin(), values.end());
  }
}

}  // namespace

void run_crystals(const Deck& deck, const SimulateOptions& options, const Comm& comm) {
  const IonicCrystalConfig config = crystals_config(deck);
  const auto n = static_cast<std::uint64_t>(deck.get_int("output.n_structures"));
  const auto rank = static_cast<std::uint64_t>(comm.rank());
  const auto size = static_cast<std::uint64_t>(comm.size());
  const std::uint64_t begin = n * rank / size, end = n * (rank + 1) / size;
  spdlog::info("crystals: {} structures over {} rank(s), seed {}", n, size, config.seed);

  crystal::StructureDataset data;
  data.units = {{"ewald_energy_per_atom", "eV/atom"}, {"volume_per_atom", "Å^3/atom"}};
  data.config = deck.to_toml();
  data.producer = options.producer;
  auto& charge = data.atom_fields["charge"];
  auto& site_energy = data.atom_fields["ewald_site_energy"];
  Progress progress("simulate (rank 0)", static_cast<std::int64_t>(end - begin), comm.is_root());
  Kokkos::Timer timer;
  for (std::uint64_t i = begin; i < end; ++i) {
    IonicCrystal c = generate_ionic_crystal(config, i);
    charge.insert(charge.end(), c.charge.begin(), c.charge.end());
    site_energy.insert(site_energy.end(), c.site_energy.begin(), c.site_energy.end());
    data.structures.push_back(std::move(c.structure));
    progress.update(static_cast<std::int64_t>(i - begin + 1));
  }
  progress.finish();
  spdlog::info("crystals: rank 0 made {} structures in {:.2f} s ({:.0f} structures/s)", end - begin,
               timer.seconds(), double(end - begin) / timer.seconds());

  if (rank != 0) crystal::write_structure_dataset(part_path(options.output, comm.rank()), data);
  comm.barrier();
  if (rank == 0) {
    for (int r = 1; r < comm.size(); ++r) {
      append(data, crystal::read_structure_dataset(part_path(options.output, r)));
    }
    crystal::write_structure_dataset(options.output, data);
    for (int r = 1; r < comm.size(); ++r)
      std::filesystem::remove(part_path(options.output, r));
    spdlog::info("wrote {}: {} structures", options.output, data.structures.size());
  }
  comm.barrier();
}

}  // namespace pf::sim
