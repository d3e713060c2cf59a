// Fused edge ops of ComFormer's attention layers, with their gradients: the first layers'
// inputs assembled from node, graph and edge parts in one pass, and the gathered query times
// the key. Row r of the result reads column block [offset, offset + C) of its operands' rows,
// so parts computed side by side in one product are read in place.
#pragma once

#include "tensor/tensor.hpp"

namespace pf::comformer {

// out[r, c] = a[ia[r], a_offset + c] + b[ib[r], b_offset + c] + p[r, p_offset + c]
// a [Na, ·], b [Nb, ·], p [R, ·] (2-D), ia, ib [R] → [R, C]. ShapeError on mismatched
// shapes, blocks outside the rows, or indices out of range.
template <class T>
Tensor<T> gather_sum3(const Tensor<T>& a, Index a_offset, const IndexVec& ia, const Tensor<T>& b,
                      Index b_offset, const IndexVec& ib, const Tensor<T>& p, Index p_offset,
                      Index C);

// out[r, c] = s · q[iq[r], q_offset + c] · x[r, c];  q [Nq, ·], iq [R], x [R, C] → [R, C]
template <class T>
Tensor<T> gather_scale_mul(const Tensor<T>& q, Index q_offset, const IndexVec& iq,
                           const Tensor<T>& x, T s);

}  // namespace pf::comformer
