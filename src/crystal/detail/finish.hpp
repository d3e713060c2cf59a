// The checks every reader ends with, so each format reports bad structures the same way.
#pragma once

#include "crystal/lattice.hpp"
#include "crystal/read_options.hpp"
#include "crystal/structure.hpp"

#include <string>
#include <vector>

namespace pf::crystal::detail {

struct SourceLines {
  int cell = 0;            // line of the cell (0 when the format has no lines)
  std::vector<int> atoms;  // line of each atom, same order as the structure's atoms
};

// Refuses a cell with non-finite numbers or (near) zero volume.
void check_cell(const Mat3& lattice, const std::string& file, int line);

// Fills missing occupancies with 1, wraps fractional coordinates into [0,1), and refuses a
// singular cell, atom counts that disagree, and atoms nearer than options.min_distance
// (including an atom and its own periodic image). Errors are "file:line: problem".
void finish_structure(Structure& s, const std::string& file, const SourceLines& lines,
                      const ReadOptions& options);

// The file's name without folders: the id of a structure that is alone in its file.
std::string file_name(const std::string& path);

}  // namespace pf::crystal::detail
