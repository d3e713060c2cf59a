// Ewald summation of the electrostatic energy of point charges in a periodic cell, host fp64.
// E = ½ Σ_i q_i φ_i with φ_i = φ_i^real + φ_i^recip + φ_i^self:
//   φ_i^real  = Σ_j Σ_n' q_j erfc(α|r_ij + n|)/|r_ij + n|        (n ≠ 0 when j = i)
//   φ_i^recip = (4π/V) Σ_{k≠0} exp(−k²/4α²)/k² Σ_j q_j cos(k·r_ij)
//   φ_i^self  = −2α q_i/√π
// The cell must be neutral (no uniform background term). Energies are in e²/Å: multiply by
// kCoulombEvAngstrom for eV.
#pragma once

#include "crystal/lattice.hpp"

#include <vector>

namespace pf::crystal {

// e²/(4πε₀) in eV·Å (CODATA 2018).
inline constexpr double kCoulombEvAngstrom = 14.399645478425668;

struct EwaldOptions {
  // Both neglected tails, erfc(α r_c) and exp(−k_c²/4α²), are below this: r_c = s/α and
  // k_c = 2αs with s = √(−ln accuracy).
  double accuracy = 1e-12;
  // Splitting parameter in 1/Å; 0 picks √π (N/V²)^(1/6), which balances the real- and
  // reciprocal-space work. The energy does not depend on it (to `accuracy`).
  double alpha = 0.0;
};

struct EwaldResult {
  double energy = 0.0;              // e²/Å, whole cell
  std::vector<double> site_energy;  // ½ q_i φ_i per atom (e²/Å), summing to `energy`
  double alpha = 0.0;               // 1/Å, as used
  double real_cutoff = 0.0;         // Å
  double recip_cutoff = 0.0;        // 1/Å
};

// InputError when the charges do not sum to zero (relative to Σ|q|, 1e-9), the counts differ,
// or the options are out of range.
EwaldResult ewald_energy(const Mat3& lattice, const std::vector<Vec3>& frac,
                         const std::vector<double>& charges, const EwaldOptions& options = {});

}  // namespace pf::crystal
