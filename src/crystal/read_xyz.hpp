// Extended XYZ (as ASE, QUIP and nequip write it): per frame an atom count, a comment line of
// key=value pairs with Lattice="ax ay az bx by bz cx cy cz" and
// Properties=species:S:1:pos:R:3[:name:type:columns…], then one line per atom with Cartesian
// positions in Å. Numeric scalar key=value pairs (energy=-3.2) become the structure's properties.
#pragma once

#include "crystal/read_options.hpp"
#include "crystal/structure.hpp"

#include <string>
#include <vector>

namespace pf::crystal {

// Every frame of the file; ids are the file name, with ":<frame index from 0>" when the file
// holds several frames. A frame without Lattice, or with pbc not "T T T", is an error: only
// periodic crystals are read.
std::vector<Structure> read_xyz(const std::string& path, const ReadOptions& options = {});
std::vector<Structure> parse_xyz(const std::string& text, const std::string& source,
                                 const ReadOptions& options = {});

}  // namespace pf::crystal
