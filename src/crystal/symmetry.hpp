// Space groups, primitive and conventional standard cells through spglib (libsymspg).
// spglib's cells are standardised and idealised: rotated to its standard orientation, with
// positions symmetrised, so equal crystals given in different cells (a supercell, a rotated or
// re-based copy) reduce to the same primitive cell to within `symprec`.
#pragma once

#include "crystal/structure.hpp"

#include <string>

namespace pf::crystal {

// Distance tolerance (Å) under which atoms count as symmetry images. CIF coordinates rounded to
// 4 decimals in a 10 Å cell are off by up to 1e-3 Å; spglib's own default 1e-5 would miss them.
inline constexpr double kDefaultSymprec = 1e-3;

struct SpaceGroup {
  int number = 0;             // 1..230
  int hall_number = 0;        // spglib's 1..530 setting index
  std::string international;  // short Hermann–Mauguin symbol, e.g. "Fm-3m"
  std::string hall;           // Hall symbol, e.g. "-F 4 2 3"
};

SpaceGroup space_group(const Structure& s, double symprec = kDefaultSymprec);

// Atoms keep their species and occupancy (sites differing in either are never merged); id and
// properties are copied. InputError naming the structure when spglib finds no cell.
Structure primitive_cell(const Structure& s, double symprec = kDefaultSymprec);
Structure conventional_cell(const Structure& s, double symprec = kDefaultSymprec);

}  // namespace pf::crystal
