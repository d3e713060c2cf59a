// One Kolmogorov-flow trajectory from its seed to its last saved frame: GRF initial vorticity,
// warm-up, then frames every frame_dt, each handed to a sink subsampled to the stored grid.
#pragma once

#include "sim/kolmogorov/diagnostics.hpp"
#include "sim/kolmogorov/flow.hpp"
#include "sim/kolmogorov/initial_condition.hpp"
#include "sim/kolmogorov/stepper.hpp"

#include <cstdint>
#include <functional>
#include <vector>

namespace pf::sim {

struct KolmogorovConfig {
  Index solve_n = 192;  // solver grid
  Index store_n = 64;   // stored grid: every (solve_n/store_n)-th point, as the reference
  FlowParams flow;
  GrfParams grf;
  Scheme scheme = Scheme::CnHeun;
  double dt = 1.0 / 256;  // fixed step, or the largest step when adaptive
  bool adaptive = false;  // CFL-limited step, chosen anew for each frame interval
  double cfl = 0.5;       // dt ≤ cfl / (max|u|/dx + max|v|/dy)
  double warmup = 2.0;    // time before the first saved frame
  double frame_dt = 1.0 / 32;
  Index n_frames = 64;  // frames at warmup + k·frame_dt, k = 0 .. n_frames − 1
  std::uint64_t seed = 0;
  bool velocity = false;  // also hand the velocity (u, v) to the sink
  bool measure_fft = false;
};

// Checks ranges and divisibility; std::invalid_argument naming the member otherwise.
void check_config(const KolmogorovConfig& config);

// Times at which frames are saved: warmup + k·frame_dt.
std::vector<double> frame_times(const KolmogorovConfig& config);

struct TrajectoryFrame {
  Index index = 0;  // frame number
  double time = 0;
  std::vector<float> vorticity;  // [store_n, store_n]
  std::vector<float> velocity;   // [store_n, store_n, 2] when asked for, else empty
  FlowDiagnostics diagnostics;   // on the solver grid
  double dt = 0;                 // last step used to reach this frame
};

// Called once per frame, in order.
using FrameSink = std::function<void(const TrajectoryFrame&)>;
// Called after each interval of warm-up or saving: (intervals done, the flow there).
using IntervalTick = std::function<void(Index, const Flow&, const FlowDiagnostics&)>;

// Intervals a trajectory advances through (warm-up and saving): the unit of progress.
Index trajectory_intervals(const KolmogorovConfig& config);

// Runs trajectory `traj` with its own random stream Rng::derived(seed, traj), so its result
// does not depend on which rank runs it. Throws pf::NonFiniteError naming the trajectory and
// the time when the vorticity stops being finite (blow-up: dt too large for the resolution).
void run_trajectory(const KolmogorovConfig& config, Index traj, const FrameSink& sink,
                    const IntervalTick& tick = {});

// Advances `flow` to `t_end` in equal steps no longer than `dt_max`, landing on t_end exactly.
// Returns the step used (0 when already there).
double advance_to(Flow& flow, Stepper& stepper, double t_end, double dt_max);

// The CFL step limit of the current state (infinite for a flow at rest).
double cfl_step(const Flow& flow, double cfl);

}  // namespace pf::sim
