// VTK output of crystal structures for ParaView, one set of files per structure:
//   <stem>.vtp        atoms as vertices: point data "species" (Z), "occupancy", and any
//                     per-atom arrays given (charge, target contributions, predictions);
//                     field data "id", "lattice" (9 values, rows a, b, c), each property
//                     (e.g. the target) as a one-value array, and "config" when given
//   <stem>_cell.vtp   the unit cell as 8 corners and 12 lines
//   <stem>_edges.vtp  graph edges, when given: one line per edge from atom src to the image of
//                     atom dst at src + vector (so edges crossing the cell boundary are drawn
//                     where they act), cell data "length", "src", "dst" and any per-edge arrays
//   <stem>.vtm        a multiblock index naming the above, to open them as one item
// Positions are Cartesian Å (r = f·L). Every file is written atomically.
// postprocess/render_crystal.py renders them (atoms as spheres coloured by species, cell box).
#pragma once

#include "crystal/structure.hpp"

#include <array>
#include <map>
#include <string>
#include <vector>

namespace pf::vtk {

struct CrystalEdges {
  std::vector<int> src, dst;                  // atom indices
  std::vector<std::array<double, 3>> vector;  // Cartesian displacement src → dst image (Å)
  std::map<std::string, std::vector<double>> fields;  // one value per edge
};

struct CrystalVtkInput {
  const crystal::Structure* structure = nullptr;
  std::map<std::string, std::vector<double>> atom_fields;  // one value per atom
  const CrystalEdges* edges = nullptr;                     // optional
  std::string config;                                      // optional, stored as field data
};

// Returns the paths written (.vtp files, then the .vtm). Throws std::invalid_argument for arrays
// whose length does not match, edges naming atoms that do not exist, or names that clash;
// std::runtime_error naming the file when VTK cannot write it.
std::vector<std::string> write_crystal(const std::string& stem, const CrystalVtkInput& input);

}  // namespace pf::vtk
