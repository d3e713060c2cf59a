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

// The channels of `field` in frame `k` of a [steps, S..., C] array, as a contiguous
// [S..., components] array.
std::vector<float> field_of(const std::vector<float>& frames, Index k, Index points, Index channels,
                            const data::FieldGroup& field) {
  std::vector<float> out(static_cast<size_t>(points * field.components));
  const float* frame = frames.data() + k * points * channels + field.first_channel;
  for (Index p = 0; p < points; ++p)
    for (Index c = 0; c < field.components; ++c)
      out[size_t(p * field.components + c)] = frame[p * channels + c];
  return out;
}

// VTK shows 2 and 3 components as vectors; other fields are written one array per channel.
bool vtk_vector(const data::FieldGroup& field) {
  return field.order == 1;
}

void write_vtk_series(const std::filesystem::path& dir, const TrajectoryRollout& r,
                      const data::FieldFileInfo& info, Index every, const std::string& config) {
  const std::string stem = fmt::format("traj_{:04d}", r.trajectory);
  std::filesystem::create_directories(dir / stem);
  vtk::PvdCollection pvd((dir / (stem + ".pvd")).string());
  const vtk::ImageGrid grid = image_grid(info);
  const Index points = info.frame_points();
  const Index channels = info.n_channels();
  // Vector fields as one array each; every other channel on its own.
  std::vector<std::pair<std::string, data::FieldGroup>> arrays_of;
  for (const data::FieldGroup& field : info.fields) {
    if (vtk_vector(field)) {
      arrays_of.push_back({field.name, field});
      continue;
    }
    for (Index c = 0; c < field.components; ++c)
      arrays_of.push_back({info.channels[size_t(field.first_channel + c)],
                           {field.name, 0, field.first_channel + c, 1}});
  }
  for (Index k = 0; k < r.steps; k += every) {
    std::vector<std::vector<float>> buffers;
    std::vector<std::string> names;
    std::vector<int> components;
    for (const auto& [name, field] : arrays_of) {
      buffers.push_back(field_of(r.predicted, k, points, channels, field));
      names.push_back(name + "_pred");
      components.push_back(int(field.components));
      if (k < r.truth_steps) {
        std::vector<float> truth = field_of(r.truth, k, points, channels, field);
        std::vector<float> error(truth.size());
        for (size_t p = 0; p < truth.size(); ++p)
          error[p] = buffers.back()[p] - truth[p];
        buffers.push_back(std::move(truth));
        names.push_back(name + "_true");
        buffers.push_back(std::move(error));
        names.push_back(name + "_error");
        components.insert(components.end(), 2, int(field.components));
      }
    }
    std::vector<vtk::ImageArray> arrays;
    for (size_t i = 0; i < buffers.size(); ++i)
      arrays.push_back({names[i], components[i], buffers[i].data()});
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
    // The input's scalars and vectors as the input has them (vectors as t1 fields); tensors and
    // plain channel stacks become one scalar field per channel.
    std::vector<data::FieldGroup> written;
    for (const data::FieldGroup& field : info.fields) {
      if (field.order == 0 || field.order == 1) {
        written.push_back(field);
        continue;
      }
      for (Index c = 0; c < field.components; ++c)
        written.push_back(
            {info.channels[size_t(field.first_channel + c)], 0, field.first_channel + c, 1});
    }
    for (const data::FieldGroup& field : written)
      header.fields.push_back({field.name, field.order});
    header.config_toml = config;
    header.producer = "portaformer predict";

    nlohmann::json summary;
    summary["checkpoint"] = trained.checkpoint;
    summary["data"] = session.data_path;
    summary["trajectories"] = trajectories;
    summary["steps"] = steps;
    std::unique_ptr<data::WellWriter> writer;
    const Index points = info.frame_points();
    const Index channels = info.n_channels();
    for (size_t i = 0; i < trajectories.size(); ++i) {
      const TrajectoryRollout r =
          roll_out_trajectory(trained, session.reader, trajectories[i], request.start, steps);
      if (!writer) {
        header.time = r.times;
        writer = std::make_unique<data::WellWriter>((dir / "predictions.h5").string(), header);
      }
      for (Index k = 0; k < steps; ++k)
        for (const data::FieldGroup& field : written)
          writer->write_frame(field.name, Index(i), k,
                              field_of(r.predicted, k, points, channels, field).data());
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
