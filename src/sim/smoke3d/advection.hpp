// Semi-Lagrangian transport on the MAC grid: each lattice point takes the value found, by
// trilinear interpolation, at the point it came from one step earlier (Euler backtrace
// x − dt·u(x), clamped into the box: nothing enters a closed box from outside). Unconditionally
// stable and bounded by its inputs (no new extrema), but it conserves nothing exactly.
//
// MacCormack (Selle et al. 2008): a backward then a forward semi-Lagrangian step estimate the
// first one's error, half of which is removed, φ = φ̂ + (φ − φ̃)/2; the result is clamped to the
// eight values the first step interpolated from, so it stays bounded.
#pragma once

#include "sim/smoke3d/mac_grid.hpp"

#include <string>
#include <vector>

namespace pf::sim::smoke {

enum class Advection { SemiLagrangian, MacCormack };

Advection parse_advection(const std::string& name);  // "semi_lagrangian" | "maccormack"

class Advector {
 public:
  // velocity_ghost: the ghost factor of tangential velocity (ghost_factor(walls)).
  Advector(const MacGrid& grid, Advection scheme, double velocity_ghost);

  // density ← density carried by `velocity` over dt (zero-gradient walls).
  void advect_density(const Velocity& velocity, double dt, std::vector<double>& density);
  // velocity ← velocity carried by itself over dt; wall faces stay 0.
  void advect_velocity(double dt, Velocity& velocity);

 private:
  // values on `lattice` (the cells for axis −1, else the faces of `axis`; ghost factor `ghost`)
  // carried by `velocity`; wall faces are not updated.
  void advect(const Lattice& lattice, double ghost, int axis, const Velocity& velocity, double dt,
              std::vector<double>& values);

  MacGrid grid_;
  Advection scheme_;
  double velocity_ghost_;
  Velocity old_;                               // the velocity before self-advection
  std::vector<double> hat_, tilde_, lo_, hi_;  // MacCormack scratch (largest lattice)
  std::vector<double> in_;                     // the values before the step
};

}  // namespace pf::sim::smoke
