// Windowed, normalised batches read frame range by frame range.
#include "data/window_dataset.hpp"

#include "core/error.hpp"
#include "data/detail/field_plan.hpp"

#include <string>

namespace pf::data {

WindowDataset::WindowDataset(std::shared_ptr<const FieldReader> reader,
                             std::vector<Index> trajectories, WindowSpec spec, Normalization norm)
    : reader_(std::move(reader)),
      trajectories_(std::move(trajectories)),
      spec_(spec),
      norm_(std::move(norm)) {
  if (!reader_) throw ShapeError("WindowDataset: expected a reader, found null");
  const FieldFileInfo& info = reader_->info();
  const std::string where =
      info.path + ": " + (info.field_paths.empty() ? "/" : info.field_paths[0]);
  if (spec_.in_steps < 1 || spec_.out_steps < 1 || spec_.stride < 1) {
    throw InputError(where + ": expected in_steps, out_steps and stride >= 1, found " +
                     std::to_string(spec_.in_steps) + ", " + std::to_string(spec_.out_steps) +
                     ", " + std::to_string(spec_.stride));
  }
  const Index span = spec_.in_steps + spec_.out_steps;
  if (info.n_steps < span) {
    throw InputError(where + ": expected at least in_steps + out_steps = " + std::to_string(span) +
                     " steps per trajectory, found " + std::to_string(info.n_steps));
  }
  if (norm_.channels != info.channels) {
    throw InputError(where + ": expected normalisation statistics for channels " +
                     detail::join(info.channels) + ", found them for " +
                     detail::join(norm_.channels));
  }
  for (Index traj : trajectories_) {
    if (traj < 0 || traj >= info.n_traj) {
      throw InputError(where + ": expected trajectories in [0, " + std::to_string(info.n_traj) +
                       "), found " + std::to_string(traj));
    }
  }
  per_traj_ = (info.n_steps - span) / spec_.stride + 1;
}

Index WindowDataset::size() const {
  return Index(trajectories_.size()) * per_traj_;
}

std::pair<Index, Index> WindowDataset::window(Index i) const {
  if (i < 0 || i >= size()) {
    throw ShapeError("WindowDataset::window: expected an index in [0, " + std::to_string(size()) +
                     "), found " + std::to_string(i));
  }
  return {trajectories_[size_t(i / per_traj_)], (i % per_traj_) * spec_.stride};
}

WindowDataset::Batch WindowDataset::read_batch(const std::vector<std::int64_t>& indices) const {
  const FieldFileInfo& info = reader_->info();
  const Index b = Index(indices.size());
  const Index frame = info.frame_values();
  Shape in_shape{b, spec_.in_steps}, out_shape{b, spec_.out_steps};
  for (Index n : info.spatial_shape) {
    in_shape.push_back(n);
    out_shape.push_back(n);
  }
  in_shape.push_back(info.n_channels());
  out_shape.push_back(info.n_channels());
  const Index in_values = spec_.in_steps * frame, out_values = spec_.out_steps * frame;
  // Host staging is the device buffer itself on host backends (create_mirror_view aliases).
  Vec<float> in(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::data::batch_in"),
                size_t(b * in_values));
  Vec<float> out(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::data::batch_out"),
                 size_t(b * out_values));
  auto in_host = Kokkos::create_mirror_view(in);
  auto out_host = Kokkos::create_mirror_view(out);
  for (Index s = 0; s < b; ++s) {
    const auto [traj, t0] = window(indices[size_t(s)]);
    float* in_ptr = in_host.data() + s * in_values;
    float* out_ptr = out_host.data() + s * out_values;
    reader_->read_frames(traj, t0, spec_.in_steps, in_ptr);
    reader_->read_frames(traj, t0 + spec_.in_steps, spec_.out_steps, out_ptr);
    norm_.normalize(in_ptr, in_values);
    norm_.normalize(out_ptr, out_values);
  }
  Kokkos::deep_copy(in, in_host);
  Kokkos::deep_copy(out, out_host);
  return {Tensor<float>(in, in_shape), Tensor<float>(out, out_shape)};
}

}  // namespace pf::data
