// Velocity samples that lie on a wall, where the flow through the wall is known to be zero.
//
// The reference's smoke data store the MAC grid's lower-face velocities, so component d at index
// 0 along axis d sits on the wall x_d = 0 and is always 0. The reference sets those samples of
// every prediction to 0: on denormalised predictions before the loss (the truth is left as it
// is) and, in normalised units, on each model call's output before it joins the next input
// window (pushforward and rollouts). Cell-centred velocities (our smoke simulator's output) have
// no sample on a wall; nothing is imposed there.
#pragma once

#include "data/field_reader.hpp"
#include "data/normalization.hpp"
#include "tensor/tensor.hpp"

#include <string>
#include <vector>

namespace pf {

enum class WallSamples {
  None,        // no velocity sample lies on a wall (cell-centred data)
  LowerFaces,  // component d at index 0 of axis d, for each axis declared a wall (the reference)
};

// "lower_faces" / "none" (deck values) <-> WallSamples; std::logic_error for other text, since
// the deck's choices have checked it.
WallSamples wall_samples_from_string(const std::string& text);
const char* to_string(WallSamples samples);

class WallVelocity {
 public:
  // Masks every vector field (order 1) of `info` on the axes whose boundary is "wall".
  WallVelocity(WallSamples samples, const data::FieldFileInfo& info,
               const data::Normalization& norm);

  // Wall values per frame (0 when nothing is imposed).
  Index count() const { return Index(offsets_.size()); }
  bool active() const { return !offsets_.empty(); }
  // Offsets of the wall values within one channels-last frame [S..., C], ascending.
  const std::vector<Index>& offsets() const { return offsets_; }

  // Differentiable; frames [B, T, S..., C]. Physical units: wall values become 0 (their gradient
  // is 0). Normalised units: they become the normalised 0, (0 − mean) / std of their channel.
  // Both return `frames` itself when nothing is imposed.
  Tensor<float> zero_physical(const Tensor<float>& frames) const;
  Tensor<float> impose_normalised(const Tensor<float>& frames) const;

  // Host frames [n_frames, S..., C] in physical units: wall values set to exactly 0.
  void zero_host(float* frames, Index n_frames) const;

 private:
  Index frame_values_ = 0;
  std::vector<Index> offsets_;
  Tensor<float> keep_;  // [1, 1, S..., C]: 0 on wall values, 1 elsewhere
  Tensor<float> fill_;  // [1, 1, S..., C]: the normalised 0 on wall values, 0 elsewhere
};

}  // namespace pf
