// e3nn-style fully connected tensor product with per-row weights (eComFormer), one thread per
// row over every path: no per-path slices of the [E, weight_numel] weights, no batched tiny
// matrix products. Degrees up to 2 (dimensions ≤ 5), so a path's intermediates live in
// registers.
#pragma once

#include "core/types.hpp"
#include "kernels/compat.hpp"

namespace pf::kern {

// One path in1[i1] ⊗ in2[i2] → out[o]: offsets are columns in the rows of x1, x2, out and w;
// its Clebsch–Gordan block C[i, j, k] is cg[cg_offset + (i·d2 + j)·d3 + k].
template <class T>
struct TensorProductPath {
  Index x1_offset, mul1, d1;
  Index x2_offset, d2;
  Index out_offset, mul_out, d3;
  Index w_offset, cg_offset;
  T scale;
};

constexpr int kTensorProductMaxDim = 5;  // 2l + 1 for l ≤ 2

// s[i, k] = Σ_j C[i, j, k] x2[e, j]
template <class T>
KOKKOS_INLINE_FUNCTION void tp_contract_x2(const TensorProductPath<T>& p,
                                           const Kokkos::View<const T*>& cg,
                                           const Kokkos::View<const T*>& x2, Index row2, T* s) {
  for (Index i = 0; i < p.d1; ++i)
    for (Index k = 0; k < p.d3; ++k) {
      T acc = T(0);
      for (Index j = 0; j < p.d2; ++j)
        acc += cg(p.cg_offset + (i * p.d2 + j) * p.d3 + k) * x2(row2 + p.x2_offset + j);
      s[i * p.d3 + k] = acc;
    }
}

// out[e, o_off + w·d3 + k] = Σ_paths scale Σ_u w[e, w_off + u·mul_out + w]
//                              Σ_i x1[e, x1_off + u·d1 + i] Σ_j C[i, j, k] x2[e, x2_off + j]
// x1: [E, D1], x2: [E, D2], w: [E, W] → out: [E, Dout] (overwritten; blocks no path reaches: 0)
template <class T>
void tensor_product_forward(const Kokkos::View<const T*>& x1, const Kokkos::View<const T*>& x2,
                            const Kokkos::View<const T*>& w,
                            const Kokkos::View<const TensorProductPath<T>*>& paths,
                            const Kokkos::View<const T*>& cg, const Kokkos::View<T*>& out, Index E,
                            Index D1, Index D2, Index W, Index Dout) {
  const Index n_paths = paths.extent(0);
  Kokkos::parallel_for(
      "pf::comformer::tensor_product", Kokkos::RangePolicy<>(0, E), KOKKOS_LAMBDA(Index e) {
        for (Index c = 0; c < Dout; ++c)
          out(e * Dout + c) = T(0);
        for (Index q = 0; q < n_paths; ++q) {
          const TensorProductPath<T> p = paths(q);
          T s[kTensorProductMaxDim * kTensorProductMaxDim];
          tp_contract_x2(p, cg, x2, e * D2, s);
          for (Index u = 0; u < p.mul1; ++u) {
            T t[kTensorProductMaxDim];
            for (Index k = 0; k < p.d3; ++k) {
              T acc = T(0);
              for (Index i = 0; i < p.d1; ++i)
                acc += x1(e * D1 + p.x1_offset + u * p.d1 + i) * s[i * p.d3 + k];
              t[k] = p.scale * acc;
            }
            const Index wrow = e * W + p.w_offset + u * p.mul_out;
            const Index orow = e * Dout + p.out_offset;
            for (Index v = 0; v < p.mul_out; ++v) {
              const T wv = w(wrow + v);
              for (Index k = 0; k < p.d3; ++k)
                out(orow + v * p.d3 + k) += wv * t[k];
            }
          }
        }
      });
}

// Adds the gradients of tensor_product_forward for upstream g [E, Dout] into gx1 [E, D1],
// gx2 [E, D2] and gw [E, W]; a gradient whose flag is false is not touched.
template <class T>
void tensor_product_backward(const Kokkos::View<const T*>& x1, const Kokkos::View<const T*>& x2,
                             const Kokkos::View<const T*>& w,
                             const Kokkos::View<const TensorProductPath<T>*>& paths,
                             const Kokkos::View<const T*>& cg, const Kokkos::View<const T*>& g,
                             const Kokkos::View<T*>& gx1, const Kokkos::View<T*>& gx2,
                             const Kokkos::View<T*>& gw, bool want_x1, bool want_x2, bool want_w,
                             Index E, Index D1, Index D2, Index W, Index Dout) {
  const Index n_paths = paths.extent(0);
  Kokkos::parallel_for(
      "pf::comformer::tensor_product_backward", Kokkos::RangePolicy<>(0, E),
      KOKKOS_LAMBDA(Index e) {
        for (Index q = 0; q < n_paths; ++q) {
          const TensorProductPath<T> p = paths(q);
          T s[kTensorProductMaxDim * kTensorProductMaxDim];
          T gs[kTensorProductMaxDim * kTensorProductMaxDim];
          tp_contract_x2(p, cg, x2, e * D2, s);
          for (Index c = 0; c < p.d1 * p.d3; ++c)
            gs[c] = T(0);
          const Index orow = e * Dout + p.out_offset;
          for (Index u = 0; u < p.mul1; ++u) {
            const Index xrow = e * D1 + p.x1_offset + u * p.d1;
            const Index wrow = e * W + p.w_offset + u * p.mul_out;
            T t[kTensorProductMaxDim], gt[kTensorProductMaxDim];
            for (Index k = 0; k < p.d3; ++k) {
              T acc = T(0);
              for (Index i = 0; i < p.d1; ++i)
                acc += x1(xrow + i) * s[i * p.d3 + k];
              t[k] = p.scale * acc;
              gt[k] = T(0);
            }
            for (Index v = 0; v < p.mul_out; ++v) {
              const T wv = w(wrow + v);
              T dw = T(0);
              for (Index k = 0; k < p.d3; ++k) {
                const T go = g(orow + v * p.d3 + k);
                gt[k] += wv * go;
                dw += go * t[k];
              }
              if (want_w) gw(wrow + v) += dw;
            }
            for (Index k = 0; k < p.d3; ++k)
              gt[k] *= p.scale;
            for (Index i = 0; i < p.d1; ++i) {
              T acc = T(0);
              for (Index k = 0; k < p.d3; ++k) {
                acc += gt[k] * s[i * p.d3 + k];
                gs[i * p.d3 + k] += x1(xrow + i) * gt[k];
              }
              if (want_x1) gx1(xrow + i) += acc;
            }
          }
          if (want_x2)
            for (Index j = 0; j < p.d2; ++j) {
              T acc = T(0);
              for (Index i = 0; i < p.d1; ++i)
                for (Index k = 0; k < p.d3; ++k)
                  acc += cg(p.cg_offset + (i * p.d2 + j) * p.d3 + k) * gs[i * p.d3 + k];
              gx2(e * D2 + p.x2_offset + j) += acc;
            }
        }
      });
}

}  // namespace pf::kern
