#include "surrogate/predict_field.hpp"

#include "core/error.hpp"
#include "data/well_writer.hpp"
#include "io/vtk_image.hpp"
#include "parallel/comm.hpp"
#include "surrogate/trajectory_rollout.hpp"
#include "train/run_outputs.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <filesystem>

namespace pf {

namespace {

vtk::ImageGrid image_grid(const data::FieldFileInfo& info) {
  vtk::ImageGrid grid;
  for (size_t axis = 0; axis < info.spatial_shape.size(); ++axis) {
    const std::vector<double>& c = info.coords[axis];
    grid.shape.push_back(info.spatial_shape[axis]);
    grid.origin.push_back(c.empty() ? 0.0 : c.front());
    grid.spacing.push_back(c.size() >= 2 ? c[1] - c[0] : 1.0);
  }
  return grid;
}

// One channel of frame `k` of a [steps, X, Y, C] array, as a contiguous [X, Y] field.
std::vector<float> channel_of(const std::vector<float>& frames, Index k, Index points,
                              Index channels, Index c) {
  std::vector<float> out(static_cast<size_t>(points));
  const float* frame = frames.data() + k * points * channels;
  for (Index p = 0; p < points; ++p)
    out[size_t(p)] = frame[p * channels + c];
  return out;
}

void write_vtk_series(const std::filesystem::path& dir, const TrajectoryRollout& r,
                      const data::FieldFileInfo& info, Index every, const std::string& config) {
  const std::string stem = fmt::format("traj_{:04d}", r.trajectory);
  std::filesystem::create_directories(dir / stem);
  vtk::PvdCollection pvd((dir / (stem + ".pvd")).string());
  const vtk::ImageGrid grid = image_grid(info);
  const Index points = info.spatial_shape[0] * info.spatial_shape[1];
  const Index channels = Index(info.channels.size());
  for (Index k = 0; k < r.steps; k += every) {
    std::vector<std::vector<float>> buffers;
    std::vector<std::string> names;
    for (Index c = 0; c < channels; ++c) {
      const std::string& name = info.channels[size_t(c)];
      buffers.push_back(channel_of(r.predicted, k, points, channels, c));
      names.push_back(name + "_pred");
      if (k < r.truth_steps) {
        std::vector<float> truth = channel_of(r.truth, k, points, channels, c);
        std::vector<float> error(truth.size());
        for (size_t p = 0; p < truth.size(); ++p)
          error[p] = buffers.back()[p] - truth[p];
        buffers.push_back(std::move(truth));
        names.push_back(name + "_true");
        buffers.push_back(std::move(error));
        names.push_back(name + "_error");
      }
    }
    std::vector<vtk::ImageArray> arrays;
    for (size_t i = 0; i < buffers.size(); ++i)
      arrays.push_back({names[i], 1, buffers[i].data()});
    const std::string file = fmt::format("frame_{:05d}.vti", r.first_frame + k);
    vtk::write_image(
        (dir / stem / file).string(), grid, arrays, r.times[size_t(k)],
        {{"config", config}, {"source", info.path}, {"trajectory", std::to_string(r.trajectory)}});
    pvd.add(r.times[size_t(k)], stem + "/" + file);
    pvd.write();
  }
}

}  // namespace

int predict_field(const PredictOptions& options) {
  const Comm comm = Comm::world();
  const RolloutRequest& request = options.request;
  const RolloutSession session = open_rollout_session(request);
  const TrainedFieldModel& trained = session.trained;
  const data::FieldFileInfo& info = session.reader.info();
  const std::vector<Index>& trajectories = session.trajectories;
  const Index steps = request.steps > 0 ? request.steps : session.frames_with_truth;
  if (steps < 1)
    throw InputError(session.data_path + ": nothing to predict: trajectories have " +
                     std::to_string(info.n_steps) + " frames, the rollout starts after frame " +
                     std::to_string(request.start + trained.deck.get_int("data.in_steps") - 1) +
                     "; pass --steps");
  if (options.vtk_every < 1)
    throw InputError("--vtk-every: expected at least 1, found " +
                     std::to_string(options.vtk_every));

  // Rank 0 does the work and the others wait: the HDF5 library is serial, and one writer keeps
  // the output file whole. `evaluate` is the command that spreads trajectories over ranks.
  if (comm.is_root()) {
    const std::filesystem::path dir(request.output_dir);
    std::filesystem::create_directories(dir);
    const std::string config = rollout_provenance("predict", session, request, steps);
    data::WellHeader header;
    header.dataset_name = info.dataset_name + "_predicted";
    const char* axis_names[] = {"x", "y", "z"};
    for (size_t a = 0; a < info.spatial_shape.size(); ++a)
      header.axes.push_back(
          {axis_names[a], info.coords[a], info.bc[a] == "unknown" ? "open" : info.bc[a]});
    header.n_traj = Index(trajectories.size());
    for (const std::string& channel : info.channels)
      header.fields.push_back({channel, 0});
    header.config_toml = config;
    header.producer = "portaformer predict";

    nlohmann::json summary;
    summary["checkpoint"] = trained.checkpoint;
    summary["data"] = session.data_path;
    summary["trajectories"] = trajectories;
    summary["steps"] = steps;
    std::unique_ptr<data::WellWriter> writer;
    const Index points = info.spatial_shape[0] * info.spatial_shape[1];
    const Index channels = Index(info.channels.size());
    for (size_t i = 0; i < trajectories.size(); ++i) {
      const TrajectoryRollout r =
          roll_out_trajectory(trained, session.reader, trajectories[i], request.start, steps);
      if (!writer) {
        header.time = r.times;
        writer = std::make_unique<data::WellWriter>((dir / "predictions.h5").string(), header);
      }
      for (Index k = 0; k < steps; ++k)
        for (Index c = 0; c < channels; ++c)
          writer->write_frame(info.channels[size_t(c)], Index(i), k,
                              channel_of(r.predicted, k, points, channels, c).data());
      if (options.vtk) write_vtk_series(dir / "vtk", r, info, options.vtk_every, config);
      spdlog::info("trajectory {}: predicted {} frames (t = {:.4g} … {:.4g}), {} with truth",
                   trajectories[i], steps, r.times.front(), r.times.back(), r.truth_steps);
    }
    writer->commit();
    summary["predictions"] = (dir / "predictions.h5").string();
    if (options.vtk) summary["vtk"] = (dir / "vtk").string();
    summary["config"] = config;
    write_text_atomically((dir / "predict.json").string(), summary.dump(2) + "\n");
    spdlog::info("predictions: {}{}", (dir / "predictions.h5").string(),
                 options.vtk ? "; ParaView: open " + (dir / "vtk").string() + "/traj_*.pvd" : "");
  }
  comm.barrier();
  return 0;
}

}  // namespace pf
