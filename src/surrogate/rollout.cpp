#include "surrogate/rollout.hpp"

#include "core/error.hpp"
#include "tensor/ops.hpp"

#include <algorithm>
#include <vector>

namespace pf {

Tensor<float> frames_to_channels(const Tensor<float>& frames) {
  if (frames.ndim() != 5)
    throw ShapeError("frames_to_channels: expected frames [B, T, X, Y, C], found " +
                     to_string(frames.shape()));
  const Shape& s = frames.shape();
  return reshape(permute(frames, {0, 2, 3, 1, 4}), {s[0], s[2], s[3], s[1] * s[4]});
}

Tensor<float> advance_window(const Tensor<float>& window, const Tensor<float>& predicted,
                             Index channels) {
  const Index width = window.dim(3);
  if (window.ndim() != 4 || predicted.ndim() != 5 || predicted.dim(4) != channels ||
      width % channels != 0)
    throw ShapeError("advance_window: expected window [B, X, Y, T*" + std::to_string(channels) +
                     "] and predictions [B, L, X, Y, " + std::to_string(channels) + "], found " +
                     to_string(window.shape()) + " and " + to_string(predicted.shape()));
  const Index frames = width / channels;
  const Index shift = predicted.dim(1);
  const Tensor<float> fresh =
      frames_to_channels(shift > frames ? slice(predicted, 1, shift - frames, shift) : predicted);
  if (shift >= frames) return fresh;
  return concat(std::vector<Tensor<float>>{slice(window, 3, shift * channels, width), fresh}, 3);
}

Tensor<float> rollout(FactFormer2D& model, const Tensor<float>& window_frames, Index steps,
                      Index latent_steps) {
  if (steps < 1 || latent_steps < 1)
    throw ShapeError("rollout: expected at least one step and one latent step, found " +
                     std::to_string(steps) + " and " + std::to_string(latent_steps));
  const Index channels = window_frames.dim(4);
  Tensor<float> window = frames_to_channels(window_frames);
  std::vector<Tensor<float>> pieces;
  for (Index done = 0; done < steps;) {
    const Tensor<float> predicted = model.forward(window, latent_steps);
    const Index keep = std::min(latent_steps, steps - done);
    pieces.push_back(keep == latent_steps ? predicted : slice(predicted, 1, 0, keep));
    done += keep;
    if (done < steps) window = advance_window(window, predicted, channels);
  }
  return pieces.size() == 1 ? pieces.front() : concat(pieces, 1);
}

}  // namespace pf
