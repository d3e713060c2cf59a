// Per-channel linear maps: every channel n of a row has its own [D, E] matrix (Pathformer's
// generated intra-patch projections). Each parallel index owns one output entry (no races).
#pragma once

#include "core/types.hpp"
#include "kernels/head_attention.hpp"  // with_head_width

#include <Kokkos_Core.hpp>

namespace pf::kern {

// y [R, N, E] = x [R, N, D] · w [N, D, E] per channel n; one (row, channel) per index, with
// the output width compile-time for the common sizes so the row accumulates in registers.
template <class T>
void channel_linear(const Kokkos::View<const T*>& x, const Kokkos::View<const T*>& w,
                    const Kokkos::View<T*>& y, Index rows, Index n, Index d, Index e) {
  with_head_width(e, [&](auto width) {
    constexpr int W = decltype(width)::value;
    Kokkos::parallel_for(
        "pf::channel_linear::forward", Kokkos::RangePolicy<>(0, rows * n), KOKKOS_LAMBDA(Index rc) {
          const Index c = rc % n;
          if constexpr (W > 0) {
            T acc[W] = {};
            for (Index i = 0; i < d; ++i) {
              const T xi = x(rc * d + i);
              for (int j = 0; j < W; ++j)
                acc[j] += xi * w((c * d + i) * W + j);
            }
            for (int j = 0; j < W; ++j)
              y(rc * W + j) = acc[j];
          } else {
            for (Index j = 0; j < e; ++j) {
              T acc = 0;
              for (Index i = 0; i < d; ++i)
                acc += x(rc * d + i) * w((c * d + i) * e + j);
              y(rc * e + j) = acc;
            }
          }
        });
  });
}

// gx [R, N, D] += g [R, N, E] · w[n]ᵀ
template <class T>
void channel_linear_grad_x(const Kokkos::View<const T*>& g, const Kokkos::View<const T*>& w,
                           const Kokkos::View<T*>& gx, Index rows, Index n, Index d, Index e) {
  Kokkos::parallel_for(
      "pf::channel_linear::grad_x", Kokkos::RangePolicy<>(0, rows * n * d), KOKKOS_LAMBDA(Index o) {
        const Index i = o % d, rc = o / d, c = rc % n;
        T acc = 0;
        for (Index j = 0; j < e; ++j)
          acc += g(rc * e + j) * w((c * d + i) * e + j);
        gx(o) += acc;
      });
}

// gw [N, D, E] += Σ_r x[r, n, :]ᵀ g[r, n, :]
template <class T>
void channel_linear_grad_w(const Kokkos::View<const T*>& x, const Kokkos::View<const T*>& g,
                           const Kokkos::View<T*>& gw, Index rows, Index n, Index d, Index e) {
  Kokkos::parallel_for(
      "pf::channel_linear::grad_w", Kokkos::RangePolicy<>(0, n * d * e), KOKKOS_LAMBDA(Index o) {
        const Index j = o % e, ci = o / e, i = ci % d, c = ci / d;
        T acc = 0;
        for (Index r = 0; r < rows; ++r)
          acc += x((r * n + c) * d + i) * g((r * n + c) * e + j);
        gw(o) += acc;
      });
}

}  // namespace pf::kern
