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

// The channels of `field` at every point of a channels-last frame, contiguous.
void gather_field(const float* frame, Index points, Index channels, const data::FieldGroup& field,
                  std::vector<float>& out) {
  out.resize(size_t(points * field.components));
  for (Index p = 0; p < points; ++p)
    for (Index c = 0; c < field.components; ++c)
      out[size_t(p * field.components + c)] = frame[p * channels + field.first_channel + c];
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

  const Index channels = info.n_channels();
  const Index points = info.frame_points();
  // The spectrum is defined for a periodic 2-D vorticity field; other data get no spectrum.
  const bool spectra = info.channels.front() == "vorticity" && info.bc.size() == 2 &&
                       info.bc[0] == "periodic" && info.bc[1] == "periodic";
  const Index nx = info.spatial_shape[0], ny = info.spatial_shape[1];
  const double lx = periodic_length(info.coords[0]), ly = periodic_length(info.coords[1]);
  // Several fields (e.g. density and velocity) are also scored one by one: their scales differ,
  // so the all-channel figures are dominated by the larger one.
  const std::vector<data::FieldGroup>& fields = info.fields;
  const bool per_field = fields.size() > 1;
  std::vector<std::vector<double>> field_rel_l2(fields.size(), std::vector<double>(size_t(steps))),
      field_corr(fields.size(), std::vector<double>(size_t(steps)));
  std::vector<float> field_p, field_t;

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
      for (size_t f = 0; per_field && f < fields.size(); ++f) {
        gather_field(p, points, channels, fields[f], field_p);
        gather_field(t, points, channels, fields[f], field_t);
        const Index n_values = Index(field_t.size());
        field_rel_l2[f][size_t(k)] += eval::relative_l2(field_p.data(), field_t.data(), n_values);
        field_corr[f][size_t(k)] += eval::correlation(field_p.data(), field_t.data(), n_values);
      }
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
  for (size_t f = 0; f < fields.size(); ++f) {
    sum_over_ranks(comm, field_rel_l2[f]);
    sum_over_ranks(comm, field_corr[f]);
  }
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
    for (size_t f = 0; f < fields.size(); ++f) {
      field_rel_l2[f][size_t(k)] /= n;
      field_corr[f][size_t(k)] /= n;
    }
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
    const auto mean_of = [](const std::vector<double>& series) {
      double sum = 0;
      for (double e : series)
        sum += e;
      return sum / double(series.size());
    };
    m["mean_rel_l2"] = mean_of(rel_l2);
    m["rel_l2_first_step"] = rel_l2.front();
    m["rel_l2_last_step"] = rel_l2.back();
    m["correlation_threshold"] = options.threshold;
    m["steps_above_threshold"] = above;
    // Time from the first predicted frame until the mean correlation first drops below the
    // threshold (the whole horizon when it never does).
    m["time_above_threshold"] = double(above) * frame_dt;
    if (per_field) {
      for (size_t f = 0; f < fields.size(); ++f) {
        const Index field_above = eval::steps_above(field_corr[f], options.threshold);
        m["fields"][fields[f].name] = {{"channels", fields[f].components},
                                       {"mean_rel_l2", mean_of(field_rel_l2[f])},
                                       {"rel_l2_first_step", field_rel_l2[f].front()},
                                       {"rel_l2_last_step", field_rel_l2[f].back()},
                                       {"steps_above_threshold", field_above},
                                       {"time_above_threshold", double(field_above) * frame_dt}};
      }
    }
    m["per_trajectory"] = nlohmann::json::array();
    for (size_t i = 0; i < trajectories.size(); ++i)
      m["per_trajectory"].push_back({{"trajectory", trajectories[i]},
                                     {"mean_rel_l2", traj_rel_l2[i]},
                                     {"steps_above_threshold", traj_above[i]}});
    std::string csv = deck_comment_lines(config) + "step,time,rel_l2,correlation";
    for (size_t f = 0; per_field && f < fields.size(); ++f)
      csv += fmt::format(",rel_l2_{0},correlation_{0}", fields[f].name);
    csv += "\n";
    for (Index k = 0; k < steps; ++k) {
      csv += fmt::format("{},{:.6g},{:.6e},{:.6e}", k + 1, times[size_t(k)], rel_l2[size_t(k)],
                         corr[size_t(k)]);
      for (size_t f = 0; per_field && f < fields.size(); ++f)
        csv += fmt::format(",{:.6e},{:.6e}", field_rel_l2[f][size_t(k)], field_corr[f][size_t(k)]);
      csv += "\n";
    }
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
    } else {
      m["spectrum_note"] =
          "no energy spectrum: it is computed for 2-D periodic vorticity data only (here " +
          std::to_string(info.spatial_shape.size()) + "-D, fields " +
          fmt::format("{}", fmt::join(info.channels, ", ")) + ")";
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
    for (size_t f = 0; per_field && f < fields.size(); ++f)
      spdlog::info(
          "  {}: mean rel-L2 {:.4e} (step 1 {:.4e}, step {} {:.4e}); correlation > {} for "
          "{} steps",
          fields[f].name, mean_of(field_rel_l2[f]), field_rel_l2[f].front(), steps,
          field_rel_l2[f].back(), options.threshold,
          m["fields"][fields[f].name]["steps_above_threshold"].get<Index>());
    spdlog::info("outputs: {}/metrics.json, rollout_metrics.csv{}", dir.string(),
                 spectra ? ", spectrum.csv" : "");
  }
  comm.barrier();
  return 0;
}

}  // namespace pf
