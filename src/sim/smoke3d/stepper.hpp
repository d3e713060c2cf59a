// One time step of the smoke-buoyancy flow (incompressible Boussinesq without temperature: the
// smoke density alone is buoyant), the reference's sequence with one change:
//   1. smoke carried by the velocity (semi-Lagrangian or MacCormack),
//   2. velocity carried by itself,
//   3. explicit diffusion ν·dt·Δv,
//   4. buoyancy dt·b·(s_{k−1} + s_k)/2 on the interior z-faces (from the new smoke),
//   5. projection (DCT Poisson solve), so the step ends divergence-free.
// The reference adds the buoyancy before the diffusion: that diffuses the force's non-solenoidal
// part against the walls, and uniform smoke (exactly a pressure gradient) then sets the fluid
// moving. Adding it after the diffusion keeps the hydrostatic state at rest for every wall type;
// the two orders differ by ν·dt²·Δ(force), within the splitting error both already make.
#pragma once

#include "sim/smoke3d/advection.hpp"
#include "sim/smoke3d/mac_grid.hpp"
#include "sim/smoke3d/poisson.hpp"

#include <vector>

namespace pf::sim::smoke {

struct SmokeParams {
  double dt = 0.75;
  double buoyancy = 0.5;  // b: force b·s along +z
  double viscosity = 0.003;
  Walls walls = Walls::ZeroGhost;
  Advection advection = Advection::SemiLagrangian;
};

// CPU seconds of the stepping thread spent in each phase since construction.
struct StepTimes {
  double advection = 0;
  double diffusion = 0;  // with the buoyancy
  double projection = 0;
  Index steps = 0;
};

class SmokeStepper {
 public:
  // Throws std::invalid_argument when dt ≤ 0 or ν·dt/dx² exceeds the explicit limit 1/6.
  SmokeStepper(const MacGrid& grid, const SmokeParams& params, bool measure_fft);

  void step(SmokeState& state);
  // max |div v| of the last projection, measured after it.
  double last_divergence() const { return last_divergence_; }
  const StepTimes& times() const { return times_; }

 private:
  MacGrid grid_;
  SmokeParams params_;
  double ghost_;
  Advector advector_;
  DctPoisson poisson_;
  std::vector<double> scratch_;
  StepTimes times_;
  double last_divergence_ = 0;
};

// Adds dt·b·(s_{k−1} + s_k)/2 to w on the interior z-faces.
void add_buoyancy(const MacGrid& grid, const std::vector<double>& density, double b, double dt,
                  Velocity& v);

}  // namespace pf::sim::smoke
