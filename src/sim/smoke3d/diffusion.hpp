// Explicit viscous diffusion of the MAC velocity, v ← v + ν·dt·Δv on the interior faces, with
// the 7-point Laplacian: wall faces (0) are the neighbours along a component's own axis, ghosts
// g·(inside value) along the others (g from the wall type). Forward Euler is stable while
// ν·dt/dx² ≤ 1/6 (the 7-point operator's eigenvalues lie in (−12/dx², 0]).
#pragma once

#include "sim/smoke3d/mac_grid.hpp"

#include <vector>

namespace pf::sim::smoke {

inline constexpr double kDiffusionLimit = 1.0 / 6.0;

// ν·dt/dx².
inline double diffusion_number(double nu, double dt, double dx) {
  return nu * dt / (dx * dx);
}

// `scratch` holds a copy of one component (resized to the face count if smaller).
void diffuse(const MacGrid& grid, double nu, double dt, double ghost, Velocity& v,
             std::vector<double>& scratch);

}  // namespace pf::sim::smoke
