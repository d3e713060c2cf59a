#include "surrogate/wall_velocity.hpp"

#include "tensor/ops.hpp"

#include <algorithm>
#include <stdexcept>

namespace pf {

WallSamples wall_samples_from_string(const std::string& text) {
  if (text == "none") return WallSamples::None;
  if (text == "lower_faces") return WallSamples::LowerFaces;
  throw std::logic_error("wall_samples_from_string: unknown value '" + text + "'");
}

const char* to_string(WallSamples samples) {
  return samples == WallSamples::LowerFaces ? "lower_faces" : "none";
}

WallVelocity::WallVelocity(WallSamples samples, const data::FieldFileInfo& info,
                           const data::Normalization& norm)
    : frame_values_(info.frame_values()) {
  if (samples == WallSamples::None) return;
  const Shape& grid = info.spatial_shape;
  const Index nd = Index(grid.size());
  const Index channels = info.n_channels();
  const Index points = info.frame_points();
  for (const data::FieldGroup& field : info.fields) {
    if (field.order != 1) continue;
    for (Index d = 0; d < nd; ++d) {
      if (info.bc[size_t(d)] != "wall") continue;
      // Points with index 0 along axis d: row-major index p, coordinate (p / stride) % n_d.
      Index stride = 1;
      for (Index a = d + 1; a < nd; ++a)
        stride *= grid[size_t(a)];
      for (Index p = 0; p < points; ++p)
        if ((p / stride) % grid[size_t(d)] == 0)
          offsets_.push_back(p * channels + field.first_channel + d);
    }
  }
  std::sort(offsets_.begin(), offsets_.end());
  if (offsets_.empty()) return;
  std::vector<float> keep(size_t(frame_values_), 1.0f), fill(size_t(frame_values_), 0.0f);
  for (Index o : offsets_) {
    const size_t c = size_t(o % channels);
    keep[size_t(o)] = 0.0f;
    fill[size_t(o)] = float((0.0 - norm.mean[c]) / norm.std[c]);
  }
  Shape shape{1, 1};
  shape.insert(shape.end(), grid.begin(), grid.end());
  shape.push_back(channels);
  keep_ = Tensor<float>::from_host(shape, keep);
  fill_ = Tensor<float>::from_host(shape, fill);
}

Tensor<float> WallVelocity::zero_physical(const Tensor<float>& frames) const {
  return active() ? mul(frames, keep_) : frames;
}

Tensor<float> WallVelocity::impose_normalised(const Tensor<float>& frames) const {
  return active() ? add(mul(frames, keep_), fill_) : frames;
}

void WallVelocity::zero_host(float* frames, Index n_frames) const {
  for (Index k = 0; k < n_frames; ++k)
    for (Index o : offsets_)
      frames[k * frame_values_ + o] = 0.0f;
}

}  // namespace pf
