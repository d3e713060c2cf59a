// Space groups, primitive and conventional standard cells through spglib (libsymspg).
// spglib's cells are standardised and idealised: rotated to its standard orientation, with
// positions symmetrised, so equal crystals given in different cells (a supercell, a rotated or
// re-based copy) reduce to the same primitive cell to within `symprec`.
#pragma once

#include "crystal/lattice.hpp"
#include "crystal/structure.hpp"

#include <array>
#include <string>
#include <vector>

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

// f' = rotation · f + translation on fractional coordinates.
struct SymmetryOperation {
  std::array<std::array<int, 3>, 3> rotation{};
  Vec3 translation{};
};

// How a space group is named in a file.
struct SpaceGroupName {
  std::string hermann_mauguin;  // "F m -3 m", "P 21/n", "Fd-3m:2", "R -3 m H"
  std::string hall;             // "-F 4 2 3"
  int number = 0;               // International Tables number
  std::string setting;          // "1"/"2" (origin choice), "H"/"R", "b1" … (CIF coordinate code)
};

// The operations of the named group from spglib's tables (530 settings). The Hall symbol wins
// when given; an H-M symbol matches full ("P 1 21/n 1"), abbreviated ("P 21/n") or short forms,
// spaces, underscores and case ignored, and an abbreviated symbol means the standard setting
// (unique axis b, cell choice 1); a number alone means the group's standard setting.
// Rhombohedral groups pick hexagonal or rhombohedral axes from the cell (a = b = c and
// α = β = γ: rhombohedral). InputError naming `what` when nothing matches, or when the name
// leaves the origin choice open (e.g. "F d -3 m" without ":1" or ":2").
std::vector<SymmetryOperation> space_group_operations(const SpaceGroupName& name,
                                                      const Mat3& lattice, const std::string& what);

}  // namespace pf::crystal
