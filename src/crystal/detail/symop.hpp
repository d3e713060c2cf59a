// Symmetry operations written as coordinate triplets ("-x+1/2, y, z+1/2"), as CIF loops give them.
#pragma once

#include "crystal/lattice.hpp"

#include <string>

namespace pf::crystal::detail {

// f' = rotation · f + translation, on fractional coordinates (column vector f).
struct SymOp {
  Mat3 rotation{};
  Vec3 translation{};
  Vec3 apply(const Vec3& frac) const;
};

// Accepts terms in any order with optional signs, integer or fractional ("1/2", "0.5")
// coefficients and constants, upper or lower case, spaces anywhere. InputError at file:line.
SymOp parse_symop(const std::string& text, const std::string& file, int line);

}  // namespace pf::crystal::detail
