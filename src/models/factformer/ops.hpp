// The differentiable pieces of FactFormer-2D beyond the foundation's ops. T = float for the model,
// double for gradient checks.
#pragma once

#include "tensor/tensor.hpp"

#include <vector>

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

// The factorized attention of FABlock2D: the axial integral of the values v = h w_vᵀ (to_v, no
// bias), w[b,i,l,(h c)] = Σ_j Σ_m kx[b,h,i,j] ky[b,h,l,m] v[b,j,m,(h c)], then the domain-wise
// norm of each head: mean and unbiased variance over all points and the head's Dh channels,
// y = (w − mean) / sqrt(var + eps).
// kx [B, H, X, X], ky [B, H, Y, Y], h [B, X, Y, C], w_v [H·Dh, C] → y [B, X, Y, H·Dh].
// Two GEMM contractions per (sample, head) that address the head's channels in place (no
// permuted copies), the norm applied in place. The graph keeps y (which to_out keeps anyway)
// and h, not v or w: backward recomputes them. Heads go in groups of four: the group's values
// are projected a block of rows at a time (h read once per group), and in backward the group's
// value gradients are turned into those of h and w_v the same way; scratch is a few
// [X, Y, Dh] blocks per head of a group.
template <class T>
Tensor<T> axial_attention(const Tensor<T>& kx, const Tensor<T>& ky, const Tensor<T>& h,
                          const Tensor<T>& w_v, T eps);

// The same integral over three axes, contracted along x, then y, then z (FABlock3D):
// kx [B, H, X, X], ky [B, H, Y, Y], kz [B, H, Z, Z], h [B, X, Y, Z, C], w_v [H·Dh, C]
// → y [B, X, Y, Z, H·Dh]. Backward recomputes the two intermediate contractions per head.
template <class T>
Tensor<T> axial_attention(const Tensor<T>& kx, const Tensor<T>& ky, const Tensor<T>& kz,
                          const Tensor<T>& h, const Tensor<T>& w_v, T eps);

// linear(layer_norm(x, ln_weight, ln_bias, eps), weight, bias) keeping only x and the row
// statistics for backward (the normalised rows are recomputed there): x [..., in], ln_weight,
// ln_bias [in], weight [out, in], bias [out] or undefined → [..., out]
template <class T>
Tensor<T> layer_norm_linear(const Tensor<T>& x, const Tensor<T>& ln_weight,
                            const Tensor<T>& ln_bias, T eps, const Tensor<T>& weight,
                            const Tensor<T>& bias);

// linear(gelu(x), weight, bias) keeping only x for backward (gelu(x) is recomputed there):
// x [..., in], weight [out, in], bias [out] or undefined → [..., out]
template <class T>
Tensor<T> gelu_linear(const Tensor<T>& x, const Tensor<T>& weight, const Tensor<T>& bias);

// u plus the Gaussian Fourier encoding of the grid (the axes' coordinates, px × py or
// px × py × pz) through Linear(2F → C), the same for every sample:
// u + [sin 2πp·B, cos 2πp·B] weightᵀ + bias. u [B, grid..., C]; b_matrix [D, F], D axes (frozen,
// no gradient); weight [C, 2F]; bias [C] → [B, grid..., C]. The features are recomputed in
// backward rather than kept.
template <class T>
Tensor<T> add_fourier_encoding(const Tensor<T>& u, const std::vector<std::vector<float>>& axes,
                               const Tensor<T>& b_matrix, const Tensor<T>& weight,
                               const Tensor<T>& bias);

// Pointwise grouped convolution, channels last: x [..., Cin], weight [Cout, Cin/groups, 1...]
// (torch's Conv1d layout) → [..., Cout]; group g maps input channels g·Cin/groups.. to output
// channels g·Cout/groups..
template <class T>
Tensor<T> grouped_linear(const Tensor<T>& x, const Tensor<T>& weight, Index groups);

// Group norm with channels last: per sample and group, mean and variance (unbiased: the
// reference's domain-wise GroupNorm; biased: torch.nn.GroupNorm) over every point and the
// group's channels; y = (x − mean) / sqrt(var + eps), then y · weight + bias per channel when
// they are defined (both or neither). Backward keeps y and 1/std.
// x [B, P..., G·D] (any number of point axes), weight, bias [G·D] → same shape as x
template <class T>
Tensor<T> domain_group_norm(const Tensor<T>& x, Index groups, T eps, bool unbiased,
                            const Tensor<T>& weight = {}, const Tensor<T>& bias = {});

// All axis means of x in one tensor: x [B, X, Y, C] → [B, X + Y, C], rows 0..X−1 averaging over y
// (one per x), rows X..X+Y−1 over x (one per y); x [B, X, Y, Z, C] → [B, X + Y + Z, C], the x rows
// averaging over (y, z), the y rows over (x, z), the z rows over (x, y).
template <class T>
Tensor<T> axis_means(const Tensor<T>& x);

// FactFormer-3D's input: the reference's Conv2d(F → C1, 1×1, groups F, bias) → GELU →
// Conv2d(C1 → C, (T, 1), no bias) collapsing the window's T frames, then `pad` zero cells
// appended to the end of each spatial axis, read straight from our window layout.
// u [B, T, X, Y, Z, F]; w1 [C1, 1, 1, 1]; b1 [C1]; w2 [C, C1, T, 1] (torch's Conv2d layouts)
// → [B, X + pad, Y + pad, Z + pad, C]. Blocks of rows at a time; backward keeps only u and
// recomputes the activations.
template <class T>
Tensor<T> window_projection(const Tensor<T>& u, const Tensor<T>& w1, const Tensor<T>& b1,
                            const Tensor<T>& w2, Index pad);

}  // namespace pf::factformer
