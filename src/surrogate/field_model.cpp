#include "surrogate/field_model.hpp"

#include "core/error.hpp"
#include "tensor/ops.hpp"

namespace pf {

Tensor<float> frames_to_channels(const Tensor<float>& frames) {
  if (frames.ndim() != 5)
    throw ShapeError("frames_to_channels: expected frames [B, T, X, Y, C], found " +
                     to_string(frames.shape()));
  const Shape& s = frames.shape();
  return reshape(permute(frames, {0, 2, 3, 1, 4}), {s[0], s[2], s[3], s[1] * s[4]});
}

Tensor<float> FactFormer2DField::forward(const Tensor<float>& window, Index latent_steps) {
  return model_->forward(frames_to_channels(window), latent_steps);
}

}  // namespace pf
