// VASP POSCAR/CONTCAR: scale factor (one value, negative = target volume in Å³, or three per-axis
// factors), lattice, VASP 5 species line (or VASP 4 counts with species named in the comment
// line), optional "Selective dynamics", Direct or Cartesian coordinates. Velocities and
// predictor-corrector blocks after the positions are ignored.
#pragma once

#include "crystal/read_options.hpp"
#include "crystal/structure.hpp"

#include <string>

namespace pf::crystal {

// The id is the file name. Species written as POTCAR names ("Fe_pv", "Fe/abc123") keep the
// element part.
Structure read_poscar(const std::string& path, const ReadOptions& options = {});
Structure parse_poscar(const std::string& text, const std::string& source,
                       const ReadOptions& options = {});

}  // namespace pf::crystal
