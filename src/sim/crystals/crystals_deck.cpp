#include "sim/crystals/crystals_deck.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <sstream>

namespace pf::sim {
namespace {

[[noreturn]] void bad(const Deck& deck, const std::string& key, const std::string& expected,
                      const std::string& found) {
  throw InputError("deck " + deck.source() + ": " + key + ": expected " + expected + ", found " +
                   found);
}

std::vector<Ion> ion_list(const Deck& d, const std::string& key, int sign) {
  std::vector<Ion> ions;
  std::stringstream in(d.get_string(key));
  std::string item;
  while (std::getline(in, item, ',')) {
    const auto b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
    if (b == std::string::npos) continue;
    const Ion ion = parse_ion(item.substr(b, e - b + 1), "deck " + d.source() + ": " + key);
    if (ion.charge * sign <= 0) {
      bad(d, key, sign > 0 ? "cations (positive charge)" : "anions (negative charge)", ion.name);
    }
    ions.push_back(ion);
  }
  if (ions.empty()) bad(d, key, "at least one ion", "none");
  return ions;
}

std::pair<double, double> range(const Deck& d, const std::string& key, double lo, double hi) {
  const auto v = d.get_float_list(key);
  if (v.size() != 2 || !(v[0] >= lo) || !(v[1] <= hi) || !(v[0] <= v[1])) {
    bad(d, key, fmt::format("[min, max] with {} ≤ min ≤ max ≤ {}", lo, hi),
        fmt::format("[{}]", fmt::join(v, ", ")));
  }
  return {v[0], v[1]};
}

int positive_int(const Deck& d, const std::string& key) {
  const auto v = d.get_int(key);
  if (v < 1 || v > 1000) bad(d, key, "an integer in 1..1000", std::to_string(v));
  return static_cast<int>(v);
}

}  // namespace

DeckSchema crystals_schema(const std::vector<std::string>& simulators) {
  using O = OptionType;
  DeckSchema s("crystals",
               "Random ionic crystals with their Ewald electrostatic energy per atom: a synthetic "
               "crystal-property dataset (docs/crystals.md) in the structure-dataset layout "
               "(docs/data-layout.md).");
  s.add({"simulator", O::String, "\"crystals\"", "which simulator this deck drives", simulators});
  s.add({"ions.cations", O::String, "\"Li+, Na+, K+, Rb+, Cs+, Mg2+, Ca2+, Sr2+, Ba2+, Al3+, Y3+\"",
         "cations to draw from, comma-separated, with their formal charges"});
  s.add({"ions.anions", O::String, "\"F-, Cl-, Br-, I-, O2-, S2-, N3-\"",
         "anions to draw from, comma-separated, with their formal charges"});
  s.add({"composition.max_cation_species", O::Int, "2",
         "distinct cations per structure: uniform in 1..this"});
  s.add({"composition.max_anion_species", O::Int, "1",
         "distinct anions per structure: uniform in 1..this"});
  s.add({"composition.max_count", O::Int, "4",
         "atoms per species: uniform in 1..this; compositions are redrawn until neutral"});
  s.add({"composition.min_atoms", O::Int, "2", "fewest atoms per cell"});
  s.add({"composition.max_atoms", O::Int, "12", "most atoms per cell"});
  s.add({"cell.volume_per_atom", O::FloatList, "[12.0, 30.0]",
         "cell volume per atom in Å³: uniform in [min, max]"});
  s.add({"cell.angles", O::FloatList, "[60.0, 120.0]",
         "cell angles α, β, γ in degrees: each uniform in [min, max]; cells flatter than "
         "V/(abc) = 0.5 are redrawn"});
  s.add({"cell.max_length_ratio", O::Float, "2.0",
         "cell vector lengths are drawn uniform in [1, this] before scaling to the volume"});
  s.add({"cell.min_distance", O::Float, "1.6",
         "smallest distance between two atoms in Å, periodic images included (positions are "
         "uniform, redrawn when nearer)"});
  s.add({"ewald.accuracy", O::Float, "1e-12",
         "neglected real- and reciprocal-space tails below this: r_c = s/α, k_c = 2αs, "
         "s = √(−ln accuracy)"});
  s.add({"ewald.alpha", O::Float, "0.0",
         "Ewald splitting parameter in 1/Å; 0 picks √π (N/V²)^(1/6) per structure"});
  s.add({"output.n_structures", O::Int, "2000", "structures to generate"});
  s.add({"output.seed", O::Int, "0",
         "structure i draws from the stream (seed, i): results do not depend on the number of "
         "ranks"});
  return s;
}

IonicCrystalConfig crystals_config(const Deck& d) {
  IonicCrystalConfig c;
  c.cations = ion_list(d, "ions.cations", +1);
  c.anions = ion_list(d, "ions.anions", -1);
  // The target must be a function of what a model sees (elements and positions): one formal
  // charge per element.
  std::map<int, std::string> seen;
  for (const auto* list : {&c.cations, &c.anions}) {
    for (const Ion& ion : *list) {
      const auto [it, fresh] = seen.emplace(ion.z, ion.name);
      if (!fresh) {
        bad(d, list == &c.cations ? "ions.cations" : "ions.anions",
            "each element once (its formal charge fixes the energy)",
            it->second + " and " + ion.name);
      }
    }
  }
  c.max_cation_species = positive_int(d, "composition.max_cation_species");
  c.max_anion_species = positive_int(d, "composition.max_anion_species");
  c.max_count = positive_int(d, "composition.max_count");
  c.min_atoms = positive_int(d, "composition.min_atoms");
  c.max_atoms = positive_int(d, "composition.max_atoms");
  if (c.max_atoms < c.min_atoms) {
    bad(d, "composition.max_atoms", fmt::format("≥ composition.min_atoms = {}", c.min_atoms),
        std::to_string(c.max_atoms));
  }
  std::tie(c.volume_per_atom_min, c.volume_per_atom_max) =
      range(d, "cell.volume_per_atom", 1.0, 1000.0);
  std::tie(c.angle_min, c.angle_max) = range(d, "cell.angles", 30.0, 150.0);
  c.max_length_ratio = d.get_float("cell.max_length_ratio");
  if (!(c.max_length_ratio >= 1.0 && c.max_length_ratio <= 10.0)) {
    bad(d, "cell.max_length_ratio", "a ratio in [1, 10]", std::to_string(c.max_length_ratio));
  }
  c.min_distance = d.get_float("cell.min_distance");
  if (!(c.min_distance > 0.0)) bad(d, "cell.min_distance", "> 0", std::to_string(c.min_distance));
  c.ewald.accuracy = d.get_float("ewald.accuracy");
  if (!(c.ewald.accuracy > 0.0 && c.ewald.accuracy < 1e-3)) {
    bad(d, "ewald.accuracy", "in (0, 1e-3)", std::to_string(c.ewald.accuracy));
  }
  c.ewald.alpha = d.get_float("ewald.alpha");
  if (!(c.ewald.alpha >= 0.0)) bad(d, "ewald.alpha", "≥ 0", std::to_string(c.ewald.alpha));
  if (d.get_int("output.n_structures") < 1) {
    bad(d, "output.n_structures", "≥ 1", std::to_string(d.get_int("output.n_structures")));
  }
  c.seed = static_cast<std::uint64_t>(d.get_int("output.seed"));
  return c;
}

}  // namespace pf::sim
