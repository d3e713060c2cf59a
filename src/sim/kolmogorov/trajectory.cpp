#include "sim/kolmogorov/trajectory.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace pf::sim {

namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("Kolmogorov flow: " + what);
}

// Intervals of warm-up: frame_dt each, the last one shortened to land on `warmup`.
Index warmup_intervals(const KolmogorovConfig& c) {
  return static_cast<Index>(std::ceil(c.warmup / c.frame_dt - 1e-9));
}

// Every stride-th point of an [n, n] field, as float [m, m] (components interleaved when
// `components` > 1: [m, m, components]).
void subsample(const std::vector<const double*>& fields, Index n, Index m, float* out) {
  const Index stride = n / m;
  const auto nc = static_cast<Index>(fields.size());
  for (Index i = 0; i < m; ++i)
    for (Index j = 0; j < m; ++j)
      for (Index c = 0; c < nc; ++c)
        out[(i * m + j) * nc + c] = static_cast<float>(fields[c][(i * stride) * n + j * stride]);
}

}  // namespace

void check_config(const KolmogorovConfig& c) {
  require(c.solve_n >= 8 && c.solve_n % 2 == 0, "solve_n expected even and ≥ 8");
  require(c.store_n >= 1 && c.store_n <= c.solve_n && c.solve_n % c.store_n == 0,
          "store_n expected to divide solve_n");
  require(c.flow.nu > 0, "viscosity expected > 0");
  require(c.flow.drag >= 0, "drag expected ≥ 0");
  require(c.flow.k_f >= 0 && 3 * c.flow.k_f <= c.solve_n,
          "forcing wavenumber expected in [0, solve_n/3]");
  require(c.grf.alpha > 0 && c.grf.tau > 0, "GRF alpha and tau expected > 0");
  require(c.dt > 0 && std::isfinite(c.dt), "dt expected > 0");
  require(c.cfl > 0, "cfl expected > 0");
  require(c.warmup >= 0, "warmup expected ≥ 0");
  require(c.frame_dt > 0, "frame_dt expected > 0");
  require(c.n_frames >= 1, "n_frames expected ≥ 1");
}

std::vector<double> frame_times(const KolmogorovConfig& c) {
  std::vector<double> t(static_cast<std::size_t>(c.n_frames));
  for (Index k = 0; k < c.n_frames; ++k)
    t[std::size_t(k)] = c.warmup + double(k) * c.frame_dt;
  return t;
}

Index trajectory_intervals(const KolmogorovConfig& c) {
  return warmup_intervals(c) + c.n_frames - 1;
}

double advance_to(Flow& flow, Stepper& stepper, double t_end, double dt_max) {
  const double span = t_end - flow.time();
  if (span <= 0) return 0.0;
  // Equal steps: a shortened last step would change the scheme's error from step to step.
  const auto steps = std::max<Index>(1, static_cast<Index>(std::ceil(span / dt_max - 1e-9)));
  const double dt = span / double(steps);
  for (Index s = 0; s < steps; ++s)
    stepper.step(flow, dt);
  flow.set_time(t_end);  // no drift from summing dt
  return dt;
}

double cfl_step(const Flow& flow, double cfl) {
  const SpectralGrid& g = flow.grid();
  RealArray u(g.real_size()), v(g.real_size());
  flow.velocity(u.data(), v.data());
  double umax = 0, vmax = 0;
  for (Index m = 0; m < g.real_size(); ++m) {
    umax = std::max(umax, std::abs(u[m]));
    vmax = std::max(vmax, std::abs(v[m]));
  }
  const double rate = (umax + vmax) / g.dx();
  // NaN velocities give NaN here; the caller's finiteness check reports them.
  return rate > 0 ? cfl / rate : std::numeric_limits<double>::infinity();
}

void run_trajectory(const KolmogorovConfig& c, Index traj, const FrameSink& sink,
                    const IntervalTick& tick) {
  check_config(c);
  Flow flow(c.solve_n, c.flow, c.measure_fft);
  Stepper stepper(flow, c.scheme);
  Rng rng = Rng::derived(c.seed, static_cast<std::uint64_t>(traj));
  gaussian_random_field(flow.grid(), c.grf, rng, flow.w_hat());
  flow.set_time(0.0);

  const Index n = c.solve_n, m = c.store_n;
  RealArray w(flow.grid().real_size()), u, v;
  if (c.velocity) {
    u = RealArray(flow.grid().real_size());
    v = RealArray(flow.grid().real_size());
  }
  Index done = 0;
  double last_dt = 0;
  const auto interval = [&](double t_end) {
    const double dt_max = c.adaptive ? std::min(c.dt, cfl_step(flow, c.cfl)) : c.dt;
    if (!(dt_max > 0)) {
      std::ostringstream msg;
      msg << "trajectory " << traj << ": non-finite velocity at t = " << flow.time();
      throw NonFiniteError(msg.str());
    }
    last_dt = advance_to(flow, stepper, t_end, dt_max);
    const FlowDiagnostics d = diagnose(flow);
    if (!std::isfinite(d.enstrophy)) {
      std::ostringstream msg;
      msg << "trajectory " << traj << ": vorticity not finite at t = " << t_end << " (step "
          << last_dt << "; reduce dt or raise the resolution)";
      throw NonFiniteError(msg.str());
    }
    if (tick) tick(++done, flow, d);
  };

  const Index n_warm = warmup_intervals(c);
  for (Index k = 1; k <= n_warm; ++k)
    interval(std::min(c.warmup, double(k) * c.frame_dt));

  const std::vector<double> times = frame_times(c);
  TrajectoryFrame frame;
  frame.vorticity.resize(static_cast<std::size_t>(m * m));
  if (c.velocity) frame.velocity.resize(static_cast<std::size_t>(m * m * 2));
  for (Index k = 0; k < c.n_frames; ++k) {
    if (k > 0) interval(times[std::size_t(k)]);
    flow.set_time(times[std::size_t(k)]);
    flow.vorticity(w.data());
    subsample({w.data()}, n, m, frame.vorticity.data());
    if (c.velocity) {
      flow.velocity(u.data(), v.data());
      subsample({u.data(), v.data()}, n, m, frame.velocity.data());
    }
    frame.index = k;
    frame.time = times[std::size_t(k)];
    frame.diagnostics = diagnose(flow);
    frame.dt = last_dt;
    sink(frame);
  }
}

}  // namespace pf::sim
