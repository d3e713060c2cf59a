// Differentiable building blocks of the patch-based forecasters (PatchTST, Pathformer) that the
// general op set does not have: dropout drawn from our Rng, the normal CDF (Pathformer's load
// estimate), replicate end-padding and patching along the last axis, and host-side top-k.
#pragma once

#include "core/rng.hpp"
#include "tensor/ops.hpp"

#include <vector>

namespace pf::ts {

// Inverted dropout: zeroes each element with probability p and scales the rest by 1/(1 − p);
// the identity when not training or p = 0. The mask is a hash of one draw from `rng` and the
// element index (kernels/dropout.hpp), so a seeded run repeats and backward needs no stored mask.
template <class T>
Tensor<T> dropout(const Tensor<T>& x, double p, bool training, Rng& rng);

// Φ(x) = ½ erfc(−x/√2), elementwise.
template <class T>
Tensor<T> normal_cdf(const Tensor<T>& x);

// x [..., L] → [..., L + count]: the last entry repeated `count` times (ReplicationPad1d((0, n))).
template <class T>
Tensor<T> replicate_pad_end(const Tensor<T>& x, Index count);

// x [..., L] → [..., N, size] with N = ⌊(L − size)/step⌋ + 1: windows starting at n·step
// (torch.Tensor.unfold on the last axis).
template <class T>
Tensor<T> unfold_last(const Tensor<T>& x, Index size, Index step);

// Multi-head attention on [B, S, H, e] rows as Linear layers produce them (no head permutes):
// head_scores(q [B, S, H, e], k [B, T, H, e]) = scale · q·kᵀ per head → [B, H, S, T];
// head_mix(a [B, H, S, T], v [B, T, H, e]) = a·v per head → [B, S, H, e].
template <class T>
Tensor<T> head_scores(const Tensor<T>& q, const Tensor<T>& k, T scale);
template <class T>
Tensor<T> head_mix(const Tensor<T>& a, const Tensor<T>& v);

// Per-channel linear map: x [..., N, D] · w [N, D, E] for each channel n → [..., N, E].
template <class T>
Tensor<T> channel_linear(const Tensor<T>& x, const Tensor<T>& w);

// Indices of the k largest entries of each row of a host matrix [rows, cols], largest first
// (ties keep the lower index first), row-major [rows, k].
std::vector<Index> topk_rows(const std::vector<float>& values, Index rows, Index cols, Index k);

}  // namespace pf::ts
