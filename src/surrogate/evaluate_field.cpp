#include "surrogate/evaluate_field.hpp"

#include "core/error.hpp"
#include "core/progress.hpp"
#include "eval/field_metrics.hpp"
#include "parallel/comm.hpp"
#include "surrogate/trajectory_rollout.hpp"
#include "train/run_outputs.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>

namespace pf {

namespace {

// Sums every entry over the ranks (a few hundred values: one allreduce each is cheap enough).
void sum_over_ranks(const Comm& comm, std::vector<double>& values) {
  for (double& v : values)
    v = comm.allreduce_sum(v);
}

// The periodic length of an axis from its point coordinates (n points, spacing h: n·h).
double periodic_length(const std::vector<double>& coords) {
  return coords.size() >= 2 ? double(coords.size()) * (coords[1] - coords[0]) : 1.0;
}

}  // namespace

int evaluate_field(const EvaluateOptions& options) {
  const Comm comm = Comm::world();
  const RolloutRequest& request = options.request;
  const RolloutSession session = open_rollout_session(request);
  const TrainedFieldModel& trained = session.trained;
  const data::FieldFileInfo& info = session.reader.info();
  const std::vector<Index>& trajectories = session.trajectories;
  const Index in_steps = trained.deck.get_int("data.in_steps");
  const Index available = session.frames_with_truth;
  const Index steps = request.steps > 0 ? request.steps : available;
  if (steps < 1 || steps > available)
    throw InputError(session.data_path + ": --steps: expected 1.." + std::to_string(available) +
                     " (frames with truth after the input window from frame " +
                     std::to_string(request.start) + "), found " + std::to_string(steps));

  const Index nx = info.spatial_shape[0], ny = info.spatial_shape[1];
  const Index channels = Index(info.channels.size());
  const Index points = nx * ny;
  // The spectrum is defined for a periodic vorticity field; other data get no spectrum.
  const bool spectra = info.channels.front() == "vorticity" && info.bc.size() == 2 &&
                       info.bc[0] == "periodic" && info.bc[1] == "periodic";
  const double lx = periodic_length(info.coords[0]), ly = periodic_length(info.coords[1]);

  std::vector<double> rel_l2(size_t(steps), 0.0), corr(size_t(steps), 0.0);
  std::vector<double> traj_rel_l2(trajectories.size(), 0.0), traj_above(trajectories.size(), 0.0);
  std::vector<double> spectrum_k, spectrum_true, spectrum_pred;
  std::vector<double> times;
  Progress progress("evaluate", Index(trajectories.size()), comm.is_root());
  for (size_t i = size_t(comm.rank()); i < trajectories.size(); i += size_t(comm.size())) {
    const TrajectoryRollout r =
        roll_out_trajectory(trained, session.reader, trajectories[i], request.start, steps);
    if (times.empty()) times = r.times;
    std::vector<double> corr_here(static_cast<size_t>(steps));
    for (Index k = 0; k < steps; ++k) {
      const float* p = r.predicted.data() + k * points * channels;
      const float* t = r.truth.data() + k * points * channels;
      const double e = eval::relative_l2(p, t, points * channels);
      rel_l2[size_t(k)] += e;
      traj_rel_l2[i] += e / double(steps);
      corr_here[size_t(k)] = eval::correlation(p, t, points * channels);
      corr[size_t(k)] += corr_here[size_t(k)];
      if (!spectra) continue;
      // Vorticity is channel 0: copy it out of the channels-last frame.
      std::vector<float> wp(static_cast<size_t>(points)), wt(static_cast<size_t>(points));
      for (Index q = 0; q < points; ++q) {
        wp[size_t(q)] = p[q * channels];
        wt[size_t(q)] = t[q * channels];
      }
      const eval::Spectrum sp = eval::energy_spectrum_2d(wp.data(), nx, ny, lx, ly);
      const eval::Spectrum st = eval::energy_spectrum_2d(wt.data(), nx, ny, lx, ly);
      if (spectrum_k.empty()) {
        spectrum_k = st.k;
        spectrum_true.assign(st.k.size(), 0.0);
        spectrum_pred.assign(st.k.size(), 0.0);
      }
      for (size_t b = 0; b < st.k.size(); ++b) {
        spectrum_true[b] += st.energy[b];
        spectrum_pred[b] += sp.energy[b];
      }
    }
    traj_above[i] = double(eval::steps_above(corr_here, options.threshold));
    progress.update(Index(i) + 1, fmt::format("trajectory {}: mean rel-L2 {:.3e}", trajectories[i],
                                              traj_rel_l2[i]));
  }
  progress.finish();
  sum_over_ranks(comm, rel_l2);
  sum_over_ranks(comm, corr);
  sum_over_ranks(comm, traj_rel_l2);
  sum_over_ranks(comm, traj_above);
  // Ranks without a trajectory have no spectrum bins yet: agree on the bin count first.
  const auto bins = Index(comm.allreduce_max(double(spectrum_k.size())));
  spectrum_k.resize(size_t(bins), 0.0);
  spectrum_true.resize(size_t(bins), 0.0);
  spectrum_pred.resize(size_t(bins), 0.0);
  sum_over_ranks(comm, spectrum_true);
  sum_over_ranks(comm, spectrum_pred);
  for (size_t b = 0; b < size_t(bins); ++b)
    spectrum_k[b] = comm.allreduce_max(spectrum_k[b]);
  const auto n = double(trajectories.size());
  for (Index k = 0; k < steps; ++k) {
    rel_l2[size_t(k)] /= n;
    corr[size_t(k)] /= n;
  }
  const double frames = n * double(steps);
  for (size_t b = 0; b < size_t(bins); ++b) {
    spectrum_true[b] /= frames;
    spectrum_pred[b] /= frames;
  }
  // Rank 0 may not have rolled out anything (more ranks than trajectories): its times come
  // from the data directly.
  if (times.empty()) {
    for (Index k = 0; k < steps; ++k)
      times.push_back(info.time[size_t(request.start + in_steps + k)]);
  }

  if (comm.is_root()) {
    const std::filesystem::path dir(request.output_dir);
    std::filesystem::create_directories(dir);
    const std::string config = rollout_provenance("evaluate", session, request, steps);
    const Index above = eval::steps_above(corr, options.threshold);
    const double frame_dt = steps >= 2 ? times[1] - times[0] : 0.0;
    nlohmann::json m;
    m["checkpoint"] = trained.checkpoint;
    m["data"] = session.data_path;
    m["trajectories"] = trajectories;
    m["steps"] = steps;
    m["mean_rel_l2"] = [&] {
      double s = 0;
      for (double e : rel_l2)
        s += e;
      return s / double(steps);
    }();
    m["rel_l2_first_step"] = rel_l2.front();
    m["rel_l2_last_step"] = rel_l2.back();
    m["correlation_threshold"] = options.threshold;
    m["steps_above_threshold"] = above;
    // Time from the first predicted frame until the mean correlation first drops below the
    // threshold (the whole horizon when it never does).
    m["time_above_threshold"] = double(above) * frame_dt;
    m["per_trajectory"] = nlohmann::json::array();
    for (size_t i = 0; i < trajectories.size(); ++i)
      m["per_trajectory"].push_back({{"trajectory", trajectories[i]},
                                     {"mean_rel_l2", traj_rel_l2[i]},
                                     {"steps_above_threshold", traj_above[i]}});
    std::string csv = deck_comment_lines(config) + "step,time,rel_l2,correlation\n";
    for (Index k = 0; k < steps; ++k)
      csv += fmt::format("{},{:.6g},{:.6e},{:.6e}\n", k + 1, times[size_t(k)], rel_l2[size_t(k)],
                         corr[size_t(k)]);
    write_text_atomically((dir / "rollout_metrics.csv").string(), csv);
    if (spectra) {
      // Scored up to the 2/3-rule cutoff of the stored grid: beyond it the data hold no
      // resolved dynamics.
      const double k_max = double(std::min(nx, ny)) / 3.0;
      m["spectrum_log_error"] =
          eval::spectrum_log_error({spectrum_k, spectrum_pred}, {spectrum_k, spectrum_true}, k_max);
      m["spectrum_k_max"] = k_max;
      std::string s = deck_comment_lines(config) + "k,energy_true,energy_pred\n";
      for (size_t b = 0; b < size_t(bins); ++b)
        s += fmt::format("{},{:.6e},{:.6e}\n", spectrum_k[b], spectrum_true[b], spectrum_pred[b]);
      write_text_atomically((dir / "spectrum.csv").string(), s);
    }
    m["config"] = config;
    write_text_atomically((dir / "metrics.json").string(), m.dump(2) + "\n");
    spdlog::info(
        "evaluate: {} trajectories × {} steps: mean rel-L2 {:.4e} (step 1 {:.4e}, step {} "
        "{:.4e}); correlation > {} for {} steps ({:.4g} time units){}",
        trajectories.size(), steps, m["mean_rel_l2"].get<double>(), rel_l2.front(), steps,
        rel_l2.back(), options.threshold, above, m["time_above_threshold"].get<double>(),
        spectra ? fmt::format("; spectrum log-error {:.3f}", m["spectrum_log_error"].get<double>())
                : std::string());
    spdlog::info("outputs: {}/metrics.json, rollout_metrics.csv{}", dir.string(),
                 spectra ? ", spectrum.csv" : "");
  }
  comm.barrier();
  return 0;
}

}  // namespace pf
