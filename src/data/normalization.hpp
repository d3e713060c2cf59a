// Per-channel normalisation statistics: computed on the training split by streaming frames,
// stored with the model, applied to channels-last data.
#pragma once

#include "core/types.hpp"

#include <string>
#include <vector>

namespace pf::h5 {
class File;
}

namespace pf::data {

class FieldReader;

struct Normalization {
  std::vector<std::string> channels;
  std::vector<double> mean, std;  // per channel; std already floored (see compute_normalization)

  Index n_channels() const { return static_cast<Index>(channels.size()); }
  // data channels last ([..., C]); n_values must be a multiple of C.
  void normalize(float* data, Index n_values) const;    // (x - mean) / std
  void denormalize(float* data, Index n_values) const;  // x · std + mean
  // `group` (e.g. "/normalization") gets datasets mean and std (fp64 [C]) and a string-array
  // attribute channels.
  void save(h5::File& file, const std::string& group) const;
  static Normalization load(const h5::File& file, const std::string& group);
};

// A channel's std is floored at kStdFloor · max(1, |mean|): a constant channel then normalises to
// zeros instead of dividing by zero, and fp32 round-off of a large constant (≈ 6e-8 · |mean|)
// stays far below one normalised unit.
inline constexpr double kStdFloor = 1e-6;

// Mean and population std per channel over every frame of `trajectories`, streamed a few frames
// at a time (at most ~32 MiB held), accumulated in fp64 by a two-pass mean/M2 per block merged
// with Chan et al.'s pairwise update, so neither the file nor a trajectory is ever held whole.
Normalization compute_normalization(const FieldReader& reader,
                                    const std::vector<Index>& trajectories);

}  // namespace pf::data
