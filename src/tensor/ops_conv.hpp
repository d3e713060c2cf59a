// Differentiable 3-D convolution-network ops, channels last ([B, spatial..., C]), for the 3-D
// FactFormer's encoder and decoder. Weights keep PyTorch's layouts so reference checkpoints load
// unchanged.
#pragma once

#include "core/error.hpp"
#include "tensor/tensor.hpp"

namespace pf {

// x [B, X, Y, Z, Cin]; weight [Cout, Cin, kx, ky, kz]; bias [Cout] or undefined. Zero padding
// `padding` on every side, `stride` on every axis → [B, X', Y', Z', Cout] with
// X' = (X + 2·padding − kx) / stride + 1 (torch.nn.functional.conv3d on the permuted input).
template <class T>
Tensor<T> conv3d(const Tensor<T>& x, const Tensor<T>& weight, const Tensor<T>& bias,
                 Index stride = 1, Index padding = 0);

// x [B, X, Y, Z, Cin]; weight [Cout, Cin, 3, 3, 3]; bias [Cout] or undefined →
// [B, 2X, 2Y, 2Z, Cout]: conv3d(upsample_nearest(x, 2), weight, bias, 1, 1), computed on the coarse
// grid with the taps folded per output parity (kernels/upsample_conv.hpp): ~3.4× fewer FLOPs, the
// upsampled input is never stored. Sums of up to 8 taps are formed before the products, so results
// differ from the composition by rounding only.
template <class T>
Tensor<T> upsample2_conv3d(const Tensor<T>& x, const Tensor<T>& weight, const Tensor<T>& bias);

// x [B, S..., C] (one or more spatial axes, more than one point): per (b, c), subtract the mean
// over the points and divide by √(biased variance + eps) — torch's InstanceNorm{1,2,3}d with
// affine=False, track_running_stats=False. Backward keeps x and the per-(b, c) statistics.
template <class T>
Tensor<T> instance_norm(const Tensor<T>& x, T eps = T(1e-5));

// x [B, S..., C] → [B, factor·S..., C]: every spatial axis repeated `factor` times
// (torch's Upsample(scale_factor=factor, mode="nearest")).
template <class T>
Tensor<T> upsample_nearest(const Tensor<T>& x, Index factor);

}  // namespace pf
