// Training samples of field models: windows of in_steps input frames followed by out_steps
// target frames from one trajectory, normalised, read from the file per batch.
#pragma once

#include "data/field_reader.hpp"
#include "data/normalization.hpp"
#include "tensor/tensor.hpp"

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace pf::data {

struct WindowSpec {
  Index in_steps = 10, out_steps = 1;
  Index stride = 1;  // step between window starts
};

class WindowDataset {
 public:
  // Windows start at 0, stride, 2·stride, ... while start + in_steps + out_steps <= n_steps, in
  // every trajectory of `trajectories` (in that order). Throws pf::InputError when a trajectory
  // is shorter than in_steps + out_steps or `norm` is for other channels.
  WindowDataset(std::shared_ptr<const FieldReader> reader, std::vector<Index> trajectories,
                WindowSpec spec, Normalization norm);

  Index size() const;  // number of windows
  Index windows_per_trajectory() const { return per_traj_; }
  std::pair<Index, Index> window(Index i) const;  // (trajectory, first frame)

  struct Batch {
    Tensor<float> in, out;  // normalised: in [B, in_steps, X, Y(, Z), C], out [B, out_steps, ...]
  };
  // Reads only the frames of the asked windows (two frame ranges per window, one HDF5 read per
  // field each), normalises on the host, then moves to the default memory space.
  Batch read_batch(const std::vector<std::int64_t>& indices) const;

  const WindowSpec& spec() const { return spec_; }
  const Normalization& normalization() const { return norm_; }
  const FieldFileInfo& info() const { return reader_->info(); }

 private:
  std::shared_ptr<const FieldReader> reader_;
  std::vector<Index> trajectories_;
  WindowSpec spec_;
  Normalization norm_;
  Index per_traj_ = 0;
};

}  // namespace pf::data
