// Kernels of the time-series models: the moving average with replicate padding along the time
// axis of [B, L, C] series (DLinear's and Pathformer's trend).
#pragma once

#include "core/types.hpp"

#include <Kokkos_Core.hpp>

namespace pf::kern {

// Time index of a window position after replicate padding: clamps into [0, L).
KOKKOS_INLINE_FUNCTION Index clamp_time(Index t, Index len) {
  return t < 0 ? 0 : (t >= len ? len - 1 : t);
}

// x [B, L, C] -> y [B, L, C]: y[b, t, c] = (1/k) Σ_{j<k} x[b, clamp(t + j − front), c]
template <class T>
void moving_average_forward(const Kokkos::View<const T*>& x, const Kokkos::View<T*>& y, Index b,
                            Index len, Index c, Index kernel, Index front) {
  const T inv = T(1) / T(kernel);
  Kokkos::parallel_for(
      "pf::series::moving_average", Kokkos::RangePolicy<>(0, b * len), KOKKOS_LAMBDA(Index r) {
        const Index bi = r / len, t = r % len;
        const Index base = bi * len * c;
        for (Index ch = 0; ch < c; ++ch) {
          T s = 0;
          for (Index j = 0; j < kernel; ++j)
            s += x(base + clamp_time(t + j - front, len) * c + ch);
          y(r * c + ch) = s * inv;
        }
      });
}

// g [B, L, C] (gradient of y) -> gx [B, L, C] += Σ over the outputs whose window reads s.
// Output t reads s a number of times = #{j < k : clamp(t + j − front) = s}; for interior s that
// is 1 when s − t + front ∈ [0, k), the edge rows also collect the padded copies.
template <class T>
void moving_average_backward(const Kokkos::View<const T*>& g, const Kokkos::View<T*>& gx, Index b,
                             Index len, Index c, Index kernel, Index front) {
  const T inv = T(1) / T(kernel);
  Kokkos::parallel_for(
      "pf::series::moving_average_grad", Kokkos::RangePolicy<>(0, b * len), KOKKOS_LAMBDA(Index r) {
        const Index bi = r / len, s = r % len;
        const Index base = bi * len * c;
        // Positions p = t + j − front that clamp to s: [lo, hi] (unbounded at the edges).
        const Index lo = s == 0 ? -kernel - len : s;
        const Index hi = s == len - 1 ? len + kernel : s;
        // t with some j ∈ [0, k) giving p ∈ [lo, hi]: t ∈ [lo + front − k + 1, hi + front].
        Index t0 = lo + front - kernel + 1, t1 = hi + front;
        if (t0 < 0) t0 = 0;
        if (t1 > len - 1) t1 = len - 1;
        for (Index ch = 0; ch < c; ++ch) {
          T acc = 0;
          for (Index t = t0; t <= t1; ++t) {
            Index j0 = lo - t + front, j1 = hi - t + front;
            if (j0 < 0) j0 = 0;
            if (j1 > kernel - 1) j1 = kernel - 1;
            if (j1 >= j0) acc += T(j1 - j0 + 1) * g(base + t * c + ch);
          }
          gx(r * c + ch) += acc * inv;
        }
      });
}

}  // namespace pf::kern
