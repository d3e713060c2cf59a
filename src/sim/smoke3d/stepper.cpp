#include "sim/smoke3d/stepper.hpp"

#include "sim/smoke3d/diffusion.hpp"
#include "sim/smoke3d/projection.hpp"

#include <time.h>
#include <cmath>
#include <stdexcept>
#include <string>

namespace pf::sim::smoke {

namespace {

// CPU time of the calling thread: on a shared node it still measures this thread's own work.
double thread_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

const MacGrid& checked(const MacGrid& g, const SmokeParams& p) {
  if (g.n < 2 || !(g.length > 0))
    throw std::invalid_argument("SmokeStepper: grid expected n ≥ 2 and length > 0");
  if (!(p.dt > 0) || !std::isfinite(p.dt))
    throw std::invalid_argument("SmokeStepper: dt expected > 0, found " + std::to_string(p.dt));
  if (!(p.viscosity >= 0)) throw std::invalid_argument("SmokeStepper: viscosity expected ≥ 0");
  const double d = diffusion_number(p.viscosity, p.dt, g.dx());
  if (d > kDiffusionLimit)
    throw std::invalid_argument("SmokeStepper: ν·dt/dx² = " + std::to_string(d) +
                                " exceeds the explicit limit 1/6");
  return g;
}

}  // namespace

void add_buoyancy(const MacGrid& g, const std::vector<double>& s, double b, double dt,
                  Velocity& v) {
  const Index n = g.n;
  const double f = 0.5 * b * dt;
  const Lattice lc = cell_lattice(g), lw = face_lattice(g, 2);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < n; ++j) {
      double* w = v.c[2].data() + lw.index(i, j, 0);
      const double* sc = s.data() + lc.index(i, j, 0);
      for (Index k = 1; k < n; ++k)
        w[k] += f * (sc[k - 1] + sc[k]);
    }
}

SmokeStepper::SmokeStepper(const MacGrid& grid, const SmokeParams& params, bool measure_fft)
    : grid_(checked(grid, params)),
      params_(params),
      ghost_(ghost_factor(params.walls)),
      advector_(grid, params.advection, ghost_),
      poisson_(grid.n, grid.dx(), measure_fft),
      scratch_(std::size_t(grid.faces())) {}

void SmokeStepper::step(SmokeState& s) {
  const double dt = params_.dt;
  const double t0 = thread_seconds();
  advector_.advect_density(s.velocity, dt, s.density);
  advector_.advect_velocity(dt, s.velocity);
  const double t1 = thread_seconds();
  diffuse(grid_, params_.viscosity, dt, ghost_, s.velocity, scratch_);
  add_buoyancy(grid_, s.density, params_.buoyancy, dt, s.velocity);
  const double t2 = thread_seconds();
  project(grid_, poisson_, s.velocity);
  const double t3 = thread_seconds();
  times_.advection += t1 - t0;
  times_.diffusion += t2 - t1;
  times_.projection += t3 - t2;
  last_divergence_ = max_divergence(grid_, s.velocity);
  ++times_.steps;
}

}  // namespace pf::sim::smoke
