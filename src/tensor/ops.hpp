// Differentiable operations on Tensor<T> (T = float for models, double for gradient checks).
// Every op records its backward when an input requires a gradient (see tensor.hpp) and saves
// only what that backward reads. Shapes follow PyTorch: row-major, channels-first for the
// normalisation and convolution ops, broadcasting by trailing axes.
#pragma once

#include "core/error.hpp"
#include "tensor/tensor.hpp"

#include <vector>

namespace pf {

// An integer index array in the default memory space (gather, scatter, embeddings, segments).
IndexVec make_index(const std::vector<Index>& values);

// ---- broadcasting elementwise arithmetic ----------------------------------------------------
template <class T>
Tensor<T> add(const Tensor<T>& a, const Tensor<T>& b);
template <class T>
Tensor<T> sub(const Tensor<T>& a, const Tensor<T>& b);
template <class T>
Tensor<T> mul(const Tensor<T>& a, const Tensor<T>& b);
template <class T>
Tensor<T> div(const Tensor<T>& a, const Tensor<T>& b);
template <class T>
Tensor<T> affine(const Tensor<T>& x, T alpha, T beta);  // alpha x + beta
template <class T>
Tensor<T> pow(const Tensor<T>& x, T p);
template <class T>
Tensor<T> scale(const Tensor<T>& x, T alpha) {
  return affine(x, alpha, T(0));
}
template <class T>
Tensor<T> neg(const Tensor<T>& x) {
  return affine(x, T(-1), T(0));
}
// The shape two operands broadcast to; names both shapes when they do not.
Shape broadcast_shape(const Shape& a, const Shape& b);

// ---- pointwise functions ---------------------------------------------------------------------
template <class T>
Tensor<T> gelu(const Tensor<T>& x);  // exact (erf) form
template <class T>
Tensor<T> silu(const Tensor<T>& x);
template <class T>
Tensor<T> softplus(const Tensor<T>& x);
template <class T>
Tensor<T> sigmoid(const Tensor<T>& x);
template <class T>
Tensor<T> tanh(const Tensor<T>& x);
template <class T>
Tensor<T> relu(const Tensor<T>& x);
template <class T>
Tensor<T> exp(const Tensor<T>& x);
template <class T>
Tensor<T> log(const Tensor<T>& x);
template <class T>
Tensor<T> sqrt(const Tensor<T>& x);
template <class T>
Tensor<T> square(const Tensor<T>& x);
template <class T>
Tensor<T> abs(const Tensor<T>& x);

// ---- reductions (axes may be negative; keepdim keeps them as size 1) -------------------------
template <class T>
Tensor<T> sum(const Tensor<T>& x, const std::vector<int>& axes, bool keepdim = false);
template <class T>
Tensor<T> mean(const Tensor<T>& x, const std::vector<int>& axes, bool keepdim = false);
template <class T>
Tensor<T> var(const Tensor<T>& x, const std::vector<int>& axes, bool unbiased,
              bool keepdim = false);
template <class T>
Tensor<T> sum_all(const Tensor<T>& x);  // shape []
template <class T>
Tensor<T> mean_all(const Tensor<T>& x);  // shape []
// Sums a gradient-shaped tensor down to `shape` (the inverse of broadcasting).
template <class T>
Tensor<T> sum_to(const Tensor<T>& x, const Shape& shape);

// ---- shape -------------------------------------------------------------------------------------
template <class T>
Tensor<T> reshape(const Tensor<T>& x, Shape shape);  // one entry may be -1
template <class T>
Tensor<T> permute(const Tensor<T>& x, const std::vector<int>& perm);
template <class T>
Tensor<T> transpose(const Tensor<T>& x, int axis0, int axis1);
template <class T>
Tensor<T> slice(const Tensor<T>& x, int axis, Index start, Index stop, Index step = 1);
template <class T>
Tensor<T> concat(const std::vector<Tensor<T>>& xs, int axis);
// Constant padding: before[d]/after[d] cells added at the start/end of axis d.
template <class T>
Tensor<T> pad(const Tensor<T>& x, const std::vector<Index>& before, const std::vector<Index>& after,
              T value = T(0));
template <class T>
Tensor<T> broadcast_to(const Tensor<T>& x, const Shape& shape);

// ---- matrix products ---------------------------------------------------------------------------
// a: [..., M, K] (or [..., K, M] when trans_a), b: [..., K, N] (or [..., N, K]) with the same
// leading (batch) dims, or b 2-D and shared by every batch entry. Result [..., M, N].
template <class T>
Tensor<T> matmul(const Tensor<T>& a, const Tensor<T>& b, bool trans_a = false,
                 bool trans_b = false);

// ---- gather / scatter along an axis with a 1-D index -------------------------------------------
// gather: out = x.index_select(axis, idx); scatter_add: out of size dim_size along axis with
// out.index_add_(axis, idx, src). Indices are range-checked.
template <class T>
Tensor<T> gather(const Tensor<T>& x, int axis, const IndexVec& idx);
template <class T>
Tensor<T> scatter_add(const Tensor<T>& src, int axis, const IndexVec& idx, Index dim_size);

// ---- softmax -----------------------------------------------------------------------------------
template <class T>
Tensor<T> softmax(const Tensor<T>& x, int axis);
// x: [E] or [E, H]; segment: [E] with values in [0, num_segments); softmax over the rows of
// each segment, per column.
template <class T>
Tensor<T> segment_softmax(const Tensor<T>& x, const IndexVec& segment, Index num_segments);

// ---- normalisation (undefined weight/bias tensors mean no affine) -----------------------------
template <class T>
Tensor<T> layer_norm(const Tensor<T>& x, const Tensor<T>& weight, const Tensor<T>& bias, T eps);
// x: [N, C, *]; groups divides C.
template <class T>
Tensor<T> group_norm(const Tensor<T>& x, Index groups, const Tensor<T>& weight,
                     const Tensor<T>& bias, T eps);
// x: [N, C, *]. Training uses batch statistics and updates the running ones in place
// (momentum as PyTorch, unbiased variance for the running estimate); eval uses the running ones.
template <class T>
Tensor<T> batch_norm(const Tensor<T>& x, const Tensor<T>& running_mean,
                     const Tensor<T>& running_var, const Tensor<T>& weight, const Tensor<T>& bias,
                     bool training, T momentum, T eps);

// ---- layers as functions -----------------------------------------------------------------------
// x: [..., in], weight: [out, in], bias: [out] or undefined → [..., out]
template <class T>
Tensor<T> linear(const Tensor<T>& x, const Tensor<T>& weight, const Tensor<T>& bias);
// Pointwise (1×1) convolution, channels first. x: [N, Cin, *], weight: [Cout, Cin/groups, 1...],
// bias: [Cout] or undefined → [N, Cout, *]
template <class T>
Tensor<T> conv1x1(const Tensor<T>& x, const Tensor<T>& weight, const Tensor<T>& bias,
                  Index groups = 1);
// idx: any shape given as a flat index plus its shape; weight: [num, dim] → [idx_shape..., dim]
template <class T>
Tensor<T> embedding(const IndexVec& idx, const Shape& idx_shape, const Tensor<T>& weight);

// ---- losses (shape []) -------------------------------------------------------------------------
template <class T>
Tensor<T> mse_loss(const Tensor<T>& pred, const Tensor<T>& target);
template <class T>
Tensor<T> l1_loss(const Tensor<T>& pred, const Tensor<T>& target);
// mean over the leading (batch) axis of ‖pred − target‖₂ / ‖target‖₂ per sample.
template <class T>
Tensor<T> rel_l2_loss(const Tensor<T>& pred, const Tensor<T>& target);

}  // namespace pf
