// Random ionic crystals with their Ewald electrostatic energy: a synthetic crystal-property set
// whose target anyone can recompute (docs/crystals.md, "Synthetic ionic crystals").
#pragma once

#include "crystal/ewald.hpp"
#include "crystal/structure.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace pf::sim {

struct Ion {
  std::string name;  // as written: "Mg2+"
  int z = 0;
  int charge = 0;  // formal charge in e
};

// "Na+", "Mg2+", "O2-", "N3-": element, optional magnitude, sign. InputError naming `what`.
Ion parse_ion(const std::string& text, const std::string& what);

struct IonicCrystalConfig {
  std::vector<Ion> cations, anions;
  int max_cation_species = 2;  // distinct cations per structure: 1..this
  int max_anion_species = 1;
  int max_count = 4;  // atoms per species: 1..this
  int min_atoms = 2, max_atoms = 12;
  double volume_per_atom_min = 12.0, volume_per_atom_max = 30.0;  // Å³, uniform
  double angle_min = 60.0, angle_max = 120.0;                     // degrees, uniform
  double max_length_ratio = 2.0;  // cell vector lengths before scaling: uniform in [1, this]
  double min_distance = 1.6;      // Å between any two atoms, periodic images included
  crystal::EwaldOptions ewald;
  std::uint64_t seed = 0;
};

struct IonicCrystal {
  crystal::Structure structure;     // id "ionic-<index>", properties: ewald_energy_per_atom (eV),
                                    // volume_per_atom (Å³)
  std::vector<double> charge;       // formal charge per atom (e)
  std::vector<double> site_energy;  // ½ q_i φ_i per atom (eV), summing to the cell's energy
};

// Structure `index` depends only on (config, index): its random stream is (seed, index).
// InputError when no charge-neutral composition or no placement satisfies the bounds.
IonicCrystal generate_ionic_crystal(const IonicCrystalConfig& config, std::uint64_t index);

}  // namespace pf::sim
