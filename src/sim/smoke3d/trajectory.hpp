// One smoke trajectory from its seed to its last saved frame: |noise| smoke at rest, warm-up
// steps dropped, then a frame every `frame_every` steps, each handed to a sink as fp32 fields
// (density at the cell centres, velocity averaged to the cell centres) with its diagnostics.
#pragma once

#include "sim/smoke3d/initial_smoke.hpp"
#include "sim/smoke3d/stepper.hpp"

#include <cstdint>
#include <functional>
#include <vector>

namespace pf::sim::smoke {

struct SmokeConfig {
  MacGrid grid;
  SmokeParams params;
  NoiseParams noise;
  Index warmup_steps = 8;  // steps whose states are not saved
  Index n_frames = 20;
  Index frame_every = 1;  // frame k is the state after warmup_steps + (k + 1)·frame_every steps
  std::uint64_t seed = 0;
  bool measure_fft = false;
};

Index trajectory_steps(const SmokeConfig& config);
// Times of the frames: (warmup_steps + (k + 1)·frame_every)·dt.
std::vector<double> frame_times(const SmokeConfig& config);

struct SmokeDiagnostics {
  double mass = 0;            // Σ s·dx³
  double kinetic_energy = 0;  // ½ Σ_faces v²·dx³
  double max_divergence = 0;  // max |div v| after the projection
  double z_center = 0;        // Σ s·z / Σ s (cell-centre heights)
};

SmokeDiagnostics diagnose(const SmokeState& state, double max_divergence);

struct SmokeFrame {
  Index index = 0;
  double time = 0;
  std::vector<float> density;   // [n, n, n]
  std::vector<float> velocity;  // [n, n, n, 3], cell-centred
  SmokeDiagnostics diagnostics;
};

using SmokeSink = std::function<void(const SmokeFrame&)>;
// After every step: (steps done, the state, its diagnostics).
using SmokeTick = std::function<void(Index, const SmokeState&, const SmokeDiagnostics&)>;

// Trajectory `traj` draws its smoke from Rng::derived(seed, traj): its result does not depend on
// which rank runs it. Throws pf::NonFiniteError naming the trajectory and the step when the
// state stops being finite.
void run_trajectory(const SmokeConfig& config, Index traj, const SmokeSink& sink,
                    const SmokeTick& tick = {});
// The same with a stepper built for config.grid and config.params, so that a rank running
// several trajectories plans its transforms once.
void run_trajectory(const SmokeConfig& config, SmokeStepper& stepper, Index traj,
                    const SmokeSink& sink, const SmokeTick& tick = {});

}  // namespace pf::sim::smoke
