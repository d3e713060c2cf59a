#include "sim/smoke3d/trajectory.hpp"

#include "core/error.hpp"

#include <cmath>
#include <string>

namespace pf::sim::smoke {

Index trajectory_steps(const SmokeConfig& c) {
  return c.warmup_steps + c.n_frames * c.frame_every;
}

std::vector<double> frame_times(const SmokeConfig& c) {
  std::vector<double> t(std::size_t(c.n_frames));
  for (Index k = 0; k < c.n_frames; ++k)
    t[std::size_t(k)] = double(c.warmup_steps + (k + 1) * c.frame_every) * c.params.dt;
  return t;
}

SmokeDiagnostics diagnose(const SmokeState& s, double max_divergence) {
  const MacGrid& g = s.grid;
  const Index n = g.n;
  const double dx = g.dx(), cell = dx * dx * dx;
  SmokeDiagnostics d;
  double mass = 0, moment = 0;
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < n; ++j)
      for (Index k = 0; k < n; ++k) {
        const double v = s.density[std::size_t((i * n + j) * n + k)];
        mass += v;
        moment += v * (double(k) + 0.5) * dx;
      }
  double e = 0;
  for (const auto& comp : s.velocity.c)
    for (const double v : comp)
      e += v * v;
  d.mass = mass * cell;
  d.kinetic_energy = 0.5 * e * cell;
  d.max_divergence = max_divergence;
  d.z_center = mass != 0 ? moment / mass : 0.0;
  return d;
}

void run_trajectory(const SmokeConfig& c, Index traj, const SmokeSink& sink,
                    const SmokeTick& tick) {
  SmokeStepper stepper(c.grid, c.params, c.measure_fft);
  run_trajectory(c, stepper, traj, sink, tick);
}

void run_trajectory(const SmokeConfig& c, SmokeStepper& stepper, Index traj, const SmokeSink& sink,
                    const SmokeTick& tick) {
  SmokeState state(c.grid);
  Rng rng = Rng::derived(c.seed, static_cast<std::uint64_t>(traj));
  smoke_noise(c.grid, c.noise, rng, state.density.data());

  const std::vector<double> times = frame_times(c);
  SmokeFrame frame;
  frame.density.resize(std::size_t(c.grid.cells()));
  frame.velocity.resize(std::size_t(c.grid.cells() * 3));
  const Index total = trajectory_steps(c);
  for (Index step = 1; step <= total; ++step) {
    stepper.step(state);
    const SmokeDiagnostics d = diagnose(state, stepper.last_divergence());
    if (!std::isfinite(d.mass) || !std::isfinite(d.kinetic_energy))
      throw NonFiniteError("trajectory " + std::to_string(traj) + ": state not finite after step " +
                           std::to_string(step));
    if (tick) tick(step, state, d);
    const Index after_warmup = step - c.warmup_steps;
    if (after_warmup <= 0 || after_warmup % c.frame_every != 0) continue;
    frame.index = after_warmup / c.frame_every - 1;
    frame.time = times[std::size_t(frame.index)];
    for (std::size_t m = 0; m < state.density.size(); ++m)
      frame.density[m] = float(state.density[m]);
    centred_velocity(c.grid, state.velocity, frame.velocity.data());
    frame.diagnostics = d;
    sink(frame);
  }
}

}  // namespace pf::sim::smoke
