// Normalisation statistics: streaming computation, application, HDF5 round trip.
#include "data/normalization.hpp"

#include "core/error.hpp"
#include "data/field_reader.hpp"
#include "io/hdf5.hpp"

#include <algorithm>
#include <cmath>

namespace pf::data {

namespace {

void check_values(const Normalization& norm, Index n_values) {
  const Index c = norm.n_channels();
  if (c == 0 || norm.mean.size() != size_t(c) || norm.std.size() != size_t(c)) {
    throw ShapeError("Normalization: expected mean and std with one entry per channel (" +
                     std::to_string(c) + "), found " + std::to_string(norm.mean.size()) + " and " +
                     std::to_string(norm.std.size()));
  }
  if (n_values < 0 || n_values % c != 0) {
    throw ShapeError("Normalization: expected a multiple of " + std::to_string(c) +
                     " values (channels last), found " + std::to_string(n_values));
  }
}

std::vector<float> as_float(const std::vector<double>& v) {
  return {v.begin(), v.end()};
}

}  // namespace

// x ← (x − a[k])·b[k] (SubtractFirst) or x·b[k] + a[k], with k = i mod C. The per-channel
// constants are tiled over a row of whole channel groups (~256 values) so the inner loop walks
// contiguous arrays and vectorises for any C (a loop over k of runtime length does not).
template <bool SubtractFirst>
void apply_per_channel(float* data, Index n_values, const std::vector<float>& a,
                       const std::vector<float>& b) {
  const Index c = static_cast<Index>(a.size());
  const Index row = c * std::max<Index>(1, 256 / c);
  std::vector<float> tiled_a(static_cast<size_t>(row)), tiled_b(static_cast<size_t>(row));
  for (Index j = 0; j < row; ++j) {
    tiled_a[size_t(j)] = a[size_t(j % c)];
    tiled_b[size_t(j)] = b[size_t(j % c)];
  }
  const float* ta = tiled_a.data();
  const float* tb = tiled_b.data();
  for (Index i = 0; i < n_values; i += row) {
    float* x = data + i;
    const Index n = std::min(row, n_values - i);
    for (Index j = 0; j < n; ++j) {
      x[j] = SubtractFirst ? (x[j] - ta[j]) * tb[j] : x[j] * tb[j] + ta[j];
    }
  }
}

// Subtract first, then scale: with a floored std the scale is huge, and x·(1/σ) − μ/σ would
// cancel catastrophically in fp32 where (x − μ)·(1/σ) is exact for x = μ.
void Normalization::normalize(float* data, Index n_values) const {
  check_values(*this, n_values);
  std::vector<float> scale;
  for (double s : std)
    scale.push_back(float(1.0 / s));
  apply_per_channel<true>(data, n_values, as_float(mean), scale);
}

void Normalization::denormalize(float* data, Index n_values) const {
  check_values(*this, n_values);
  apply_per_channel<false>(data, n_values, as_float(mean), as_float(std));
}

void Normalization::save(h5::File& file, const std::string& group) const {
  check_values(*this, 0);
  const Shape shape{n_channels()};
  file.write(group + "/mean", mean, shape);
  file.write(group + "/std", std, shape);
  file.set_string_array_attr(group, "channels", channels);
}

Normalization Normalization::load(const h5::File& file, const std::string& group) {
  Normalization norm;
  if (!file.exists(group) || !file.has_attr(group, "channels")) {
    throw InputError(file.path() + ": " + group +
                     ": expected a normalisation group with attribute channels, found none");
  }
  norm.channels = file.string_array_attr(group, "channels");
  norm.mean = file.read<double>(group + "/mean").values;
  norm.std = file.read<double>(group + "/std").values;
  const size_t c = norm.channels.size();
  if (c == 0 || norm.mean.size() != c || norm.std.size() != c) {
    throw InputError(file.path() + ": " + group + ": expected mean and std of length " +
                     std::to_string(c) + " (the channels), found " +
                     std::to_string(norm.mean.size()) + " and " + std::to_string(norm.std.size()));
  }
  for (size_t k = 0; k < c; ++k) {
    if (!std::isfinite(norm.mean[k]) || !(norm.std[k] > 0) || !std::isfinite(norm.std[k])) {
      throw InputError(file.path() + ": " + group +
                       "/std: expected finite mean and positive std for channel " +
                       norm.channels[k] + ", found mean " + std::to_string(norm.mean[k]) + " std " +
                       std::to_string(norm.std[k]));
    }
  }
  return norm;
}

Normalization compute_normalization(const FieldReader& reader,
                                    const std::vector<Index>& trajectories) {
  const FieldFileInfo& info = reader.info();
  if (trajectories.empty()) {
    throw InputError(info.path + ": normalisation: expected at least one trajectory, found none");
  }
  const Index c = info.n_channels();
  const Index frame_values = info.frame_values();
  const Index block_frames =
      std::clamp<Index>((Index(32) << 20) / Index(sizeof(float)) / frame_values, 1, info.n_steps);
  std::vector<float> block(size_t(block_frames * frame_values));
  std::vector<double> count(size_t(c), 0), mean(size_t(c), 0), m2(size_t(c), 0);
  std::vector<double> block_mean(static_cast<size_t>(c)), block_m2(static_cast<size_t>(c));
  for (Index traj : trajectories) {
    for (Index t0 = 0; t0 < info.n_steps; t0 += block_frames) {
      const Index frames = std::min(block_frames, info.n_steps - t0);
      reader.read_frames(traj, t0, frames, block.data());
      const Index n_values = frames * frame_values;
      const double n_block = double(n_values / c);
      std::fill(block_mean.begin(), block_mean.end(), 0.0);
      std::fill(block_m2.begin(), block_m2.end(), 0.0);
      for (Index i = 0; i < n_values; i += c) {
        for (Index k = 0; k < c; ++k)
          block_mean[size_t(k)] += block[size_t(i + k)];
      }
      for (auto& m : block_mean)
        m /= n_block;
      for (Index i = 0; i < n_values; i += c) {
        for (Index k = 0; k < c; ++k) {
          const double d = block[size_t(i + k)] - block_mean[size_t(k)];
          block_m2[size_t(k)] += d * d;
        }
      }
      for (size_t k = 0; k < size_t(c); ++k) {  // Chan et al.: merge (count, mean, M2) pairs
        const double n = count[k] + n_block;
        const double delta = block_mean[k] - mean[k];
        mean[k] += delta * n_block / n;
        m2[k] += block_m2[k] + delta * delta * count[k] * n_block / n;
        count[k] = n;
      }
    }
  }
  Normalization norm;
  norm.channels = info.channels;
  norm.mean = mean;
  for (size_t k = 0; k < size_t(c); ++k) {
    const double floor = kStdFloor * std::max(1.0, std::abs(mean[k]));
    norm.std.push_back(std::max(std::sqrt(m2[k] / count[k]), floor));
  }
  return norm;
}

}  // namespace pf::data
