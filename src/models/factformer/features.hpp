// Position-dependent constants of FactFormer-2D: grid coordinates, Gaussian Fourier features and
// rotary-embedding tables. None depends on a trainable parameter, so none carries a gradient.
#pragma once

#include "tensor/tensor.hpp"

#include <vector>

namespace pf::factformer {

// torch.linspace(0, length, n) in fp32, value for value (the reference builds its grid so).
std::vector<float> grid_coordinates(Index n, double length);

// The reference 3D script's coordinates for an axis of n cells padded with `pad` cells at its
// end: torch.linspace(0, length, n) followed by torch.linspace(length + dx, length + pad·dx, pad),
// dx = length / n, both in fp32 value for value.
std::vector<float> padded_grid_coordinates(Index n, double length, Index pad);

// [sin 2π p·B, cos 2π p·B] on the ij grid of the axes' coordinates (px × py or px × py × pz);
// b: the frozen [D, F] matrix _B, D the number of axes. → [nx, ny(, nz), 2F]. Uses
// sin(a+b) = sin a cos b + cos a sin b with per-axis tables, so the cost is per-axis
// transcendental work plus four products per entry and axis.
template <class T>
Tensor<T> fourier_features(const std::vector<std::vector<float>>& axes, const Tensor<T>& b);

// Rotary tables for coordinates p and inv_freq [Dk/2] (the buffer, as loaded):
// θ[i, j] = (p_i · 64) · inv_freq[j mod Dk/2] in fp32 as the reference computes it;
// returns {cos θ, sin θ}, each [n, Dk].
std::pair<Tensor<float>, Tensor<float>> rotary_tables(const std::vector<float>& p,
                                                      const Tensor<float>& inv_freq);

// inv_freq = 1 / 10000^(2m/Dk), m = 0 .. Dk/2-1, in fp32 as the reference's buffer.
Tensor<float> rotary_inv_freq(Index kernel_dim);

}  // namespace pf::factformer
