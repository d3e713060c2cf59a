// Autoregressive use of a field model: windows of frames in the dataset's layout
// [B, T, S..., C], each call's predictions appended to the window for the next call.
#pragma once

#include "surrogate/field_model.hpp"
#include "surrogate/wall_velocity.hpp"
#include "tensor/tensor.hpp"

namespace pf {

// window [B, T, S..., C], predicted [B, L, S..., C] -> the window advanced by L frames: its
// oldest L frames dropped, the predictions appended (only the last T when L > T).
Tensor<float> advance_window(const Tensor<float>& window, const Tensor<float>& predicted);

// Predicts `steps` frames after the window (normalised frames [B, in_steps, S..., C]) by calls
// of `latent_steps` latent steps each, every call starting from the window advanced by the
// previous call's output. With `walls`, each call's output has its wall values imposed (in
// normalised units) before it is kept and fed back, as the reference's smoke rollouts do.
// Returns [B, steps, S..., C]. Gradients flow only if enabled by the caller.
Tensor<float> rollout(FieldModel& model, const Tensor<float>& window_frames, Index steps,
                      Index latent_steps, const WallVelocity* walls = nullptr);

}  // namespace pf
