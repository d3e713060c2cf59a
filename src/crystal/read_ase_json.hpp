// ASE database JSON (`ase db` exports, ase/collections/*.json): {"<id>": {cell, numbers,
// positions (Cartesian Å), pbc, key_value_pairs}, "ids": [...], "nextid": n}. Arrays may be
// nested lists or ASE's {"__ndarray__": [shape, dtype, flat values]} encoding, and the cell a
// plain 3×3 list or {"array": …}.
#pragma once

#include "crystal/read_options.hpp"
#include "crystal/structure.hpp"

#include <string>
#include <vector>

namespace pf::crystal {

// Entries in the order of "ids" (or of their numeric keys); ids are "<file name>:<key>".
// Numeric key_value_pairs become properties; entries not periodic on all three axes are errors.
std::vector<Structure> read_ase_json(const std::string& path, const ReadOptions& options = {});
std::vector<Structure> parse_ase_json(const std::string& text, const std::string& source,
                                      const ReadOptions& options = {});

}  // namespace pf::crystal
