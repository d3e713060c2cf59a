#include "surrogate/rollout.hpp"

#include "core/error.hpp"
#include "tensor/ops.hpp"

#include <algorithm>
#include <vector>

namespace pf {

Tensor<float> advance_window(const Tensor<float>& window, const Tensor<float>& predicted) {
  const Shape& w = window.shape();
  const Shape& p = predicted.shape();
  if (w.size() < 3 || p.size() != w.size() || p[0] != w[0] ||
      !std::equal(w.begin() + 2, w.end(), p.begin() + 2))
    throw ShapeError(
        "advance_window: expected a window [B, T, S..., C] and predictions "
        "[B, L, S..., C] of the same frame shape, found " +
        to_string(w) + " and " + to_string(p));
  const Index frames = w[1];
  const Index shift = p[1];
  if (shift >= frames) return slice(predicted, 1, shift - frames, shift);
  return concat(std::vector<Tensor<float>>{slice(window, 1, shift, frames), predicted}, 1);
}

Tensor<float> rollout(FieldModel& model, const Tensor<float>& window_frames, Index steps,
                      Index latent_steps, const WallVelocity* walls) {
  if (steps < 1 || latent_steps < 1)
    throw ShapeError("rollout: expected at least one step and one latent step, found " +
                     std::to_string(steps) + " and " + std::to_string(latent_steps));
  Tensor<float> window = window_frames;
  std::vector<Tensor<float>> pieces;
  for (Index done = 0; done < steps;) {
    Tensor<float> predicted = model.forward(window, latent_steps);
    if (walls) predicted = walls->impose_normalised(predicted);
    const Index keep = std::min(latent_steps, steps - done);
    pieces.push_back(keep == latent_steps ? predicted : slice(predicted, 1, 0, keep));
    done += keep;
    if (done < steps) window = advance_window(window, predicted);
  }
  return pieces.size() == 1 ? pieces.front() : concat(pieces, 1);
}

}  // namespace pf
