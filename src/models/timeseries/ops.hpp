// Differentiable ops of the Linear family in the time-major layout [time, series]: one GEMM
// covers every series (batch × channels) of a batch, and the bias and last-value shifts run as
// row kernels instead of general broadcasts.
#pragma once

#include "tensor/tensor.hpp"

namespace pf::ts {

// x [A, B, C] -> [B, A, C]: the batch-major ↔ time-major change of layout, moving rows of C
// values whole.
template <class T>
Tensor<T> swap_leading_axes(const Tensor<T>& x);

// xt [L, N], weight [T, L], bias [T] -> weight · xt + bias (bias broadcast along N) [T, N].
template <class T>
Tensor<T> time_linear(const Tensor<T>& xt, const Tensor<T>& weight, const Tensor<T>& bias);

// x [R, N] + sign · v (v [1, N] or [N], broadcast over the R rows). Gradient for x only: NLinear
// detaches the row it shifts by.
template <class T>
Tensor<T> shift_rows(const Tensor<T>& x, const Tensor<T>& v, T sign);

}  // namespace pf::ts
