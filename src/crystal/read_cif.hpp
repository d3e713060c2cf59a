// CIF reader for the subset that defines a periodic structure: the cell, the symmetry
// operations (`_space_group_symop_operation_xyz` or the legacy `_symmetry_equiv_pos_as_xyz`;
// none means P1) applied to the atom sites and deduplicated, type symbols (oxidation states
// stripped) and occupancies (see ReadOptions for partial occupancy). docs/crystals.md.
#pragma once

#include "crystal/read_options.hpp"
#include "crystal/structure.hpp"

#include <string>
#include <vector>

namespace pf::crystal {

// One Structure per data block that has a cell and atom sites; blocks without them (e.g.
// publication data) are skipped, and a file with none is an error. Ids are the file name, with
// ":block" added when the file holds several structures.
std::vector<Structure> read_cif(const std::string& path, const ReadOptions& options = {});

// The same on text already in memory; `source` names it in ids and errors.
std::vector<Structure> parse_cif(const std::string& text, const std::string& source,
                                 const ReadOptions& options = {});

}  // namespace pf::crystal
