// The differentiable pieces of FactFormer-2D beyond the foundation's ops. T = float for the model,
// double for gradient checks.
#pragma once

#include "tensor/tensor.hpp"

namespace pf::factformer {

// x [..., 2C] → gelu(x[..., :C]) · x[..., C:]  (exact GELU)
template <class T>
Tensor<T> geglu(const Tensor<T>& x);

// Rotary embedding per head, halves rotated (not interleaved):
// x [B, n, H·Dk], cos/sin [n, Dk] (constants) → x·cos + rotate_half(x)·sin, [B, n, H·Dk]
template <class T>
Tensor<T> rotary(const Tensor<T>& x, Index heads, const Tensor<T>& cos, const Tensor<T>& sin);

// Axis kernel K[b, h, i, j] = scale · Σ_d q[b, i, h·Dk + d] k[b, j, h·Dk + d];
// q, k [B, n, H·Dk] → [B, H, n, n]
template <class T>
Tensor<T> axis_kernel(const Tensor<T>& q, const Tensor<T>& k, Index heads, T scale);

// The axial integral: w[b,i,l,(h c)] = Σ_j Σ_m kx[b,h,i,j] ky[b,h,l,m] v[b,j,m,(h c)];
// kx [B, H, X, X], ky [B, H, Y, Y], v [B, X, Y, H·Dh] → [B, X, Y, H·Dh]. Two GEMM contractions
// that address each head's channels in place (no permuted copies); backward recomputes the
// intermediate x-contraction instead of keeping it.
template <class T>
Tensor<T> axial_integral(const Tensor<T>& kx, const Tensor<T>& ky, const Tensor<T>& v);

// Domain-wise group norm without affine: per sample and group, mean and unbiased variance over
// every point and the group's channels; y = (x − mean) / sqrt(var + eps). Backward keeps only y
// (which the next Linear keeps anyway) and 1/std.
// x [B, P..., G·D] (any number of point axes) → same shape
template <class T>
Tensor<T> domain_group_norm(const Tensor<T>& x, Index groups, T eps);

// Both axis means of x [B, X, Y, C] in one tensor [B, X + Y, C]: rows 0..X−1 average over y (one
// per x), rows X..X+Y−1 average over x (one per y).
template <class T>
Tensor<T> axis_means(const Tensor<T>& x);

}  // namespace pf::factformer
