// Autoregressive use of a field model: frames in the dataset's layout [B, T, X, Y, C] become the
// model's input [B, X, Y, T·C] (time-major channels, as the reference stacks its input window),
// and each call's predictions are appended to the window for the next call.
#pragma once

#include "models/factformer/factformer2d.hpp"
#include "tensor/tensor.hpp"

namespace pf {

// frames [B, T, X, Y, C] -> [B, X, Y, T·C], channel index t·C + c.
Tensor<float> frames_to_channels(const Tensor<float>& frames);

// window [B, X, Y, T·C] (channels as above), predicted [B, L, X, Y, C] -> the window advanced by
// L frames: its oldest L frames dropped, the predictions appended (only the last T when L > T).
Tensor<float> advance_window(const Tensor<float>& window, const Tensor<float>& predicted,
                             Index channels);

// Predicts `steps` frames after the window (normalised frames [B, in_steps, X, Y, C]) by calls
// of `latent_steps` latent steps each, every call starting from the window advanced by the
// previous call's output. Returns [B, steps, X, Y, C]. Gradients flow only if enabled by the
// caller (training uses it without NoGradGuard for the final call only).
Tensor<float> rollout(FactFormer2D& model, const Tensor<float>& window_frames, Index steps,
                      Index latent_steps);

}  // namespace pf
