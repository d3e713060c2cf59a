// Pressure projection on the MAC grid: the velocity minus the gradient of the p that makes it
// divergence-free, with the wall faces left at 0 (zero flux: the Neumann condition of p).
#pragma once

#include "sim/smoke3d/mac_grid.hpp"
#include "sim/smoke3d/poisson.hpp"

namespace pf::sim::smoke {

// div [n, n, n]: Σ_d (face_{i+1} − face_i)/dx per cell.
void divergence(const MacGrid& grid, const Velocity& v, double* div);

// max over cells of |div v|.
double max_divergence(const MacGrid& grid, const Velocity& v);

// Solves L p = div v − mean(div v) with `poisson` (built for this grid) and sets v ← v − ∇p on
// the interior faces. Returns the mean divergence removed (round-off in a closed box, whose
// wall faces carry no flux).
double project(const MacGrid& grid, DctPoisson& poisson, Velocity& v);

}  // namespace pf::sim::smoke
