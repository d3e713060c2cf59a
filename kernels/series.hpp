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
// One thread per (b, c) slides the window along t: O(L) instead of O(L·k). The running sum is
// kept in double, so its drift over L rows (~L·1e-16) stays far below fp32 rounding.
template <class T>
void moving_average_forward(const Kokkos::View<const T*>& x, const Kokkos::View<T*>& y, Index b,
                            Index len, Index c, Index kernel, Index front) {
  const double inv = 1.0 / double(kernel);
  Kokkos::parallel_for(
      "pf::series::moving_average", Kokkos::RangePolicy<>(0, b * c), KOKKOS_LAMBDA(Index r) {
        const Index base = (r / c) * len * c + r % c;
        double s = 0;
        for (Index j = 0; j < kernel; ++j)
          s += double(x(base + clamp_time(j - front, len) * c));
        y(base) = T(s * inv);
        for (Index t = 1; t < len; ++t) {
          s += double(x(base + clamp_time(t + kernel - 1 - front, len) * c)) -
               double(x(base + clamp_time(t - 1 - front, len) * c));
          y(base + t * c) = T(s * inv);
        }
      });
}

// g [B, L, C] (gradient of y) -> gx [B, L, C] += (1/k) Σ_t n(t, s) g[t], n(t, s) = #{j < k :
// clamp(t + j − front) = s}. An interior row s (0 < s < L−1) is read once by each output
// t ∈ [s + front − k + 1, s + front]: a sliding sum over t, one thread per (b, c). The two edge
// rows also collect the padded copies and are counted explicitly.
template <class T>
void moving_average_backward(const Kokkos::View<const T*>& g, const Kokkos::View<T*>& gx, Index b,
                             Index len, Index c, Index kernel, Index front) {
  const double inv = 1.0 / double(kernel);
  Kokkos::parallel_for(
      "pf::series::moving_average_grad", Kokkos::RangePolicy<>(0, b * c), KOKKOS_LAMBDA(Index r) {
        const Index base = (r / c) * len * c + r % c;
        // Edges: outputs t whose window position p = t + j − front clamps to s.
        for (Index s = 0; s < len; s += (len > 1 ? len - 1 : 1)) {
          const Index lo = s == 0 ? -kernel - len : s, hi = s == len - 1 ? len + kernel : s;
          const Index t0 = lo + front - kernel + 1 < 0 ? 0 : lo + front - kernel + 1;
          const Index t1 = hi + front > len - 1 ? len - 1 : hi + front;
          double acc = 0;
          for (Index t = t0; t <= t1; ++t) {
            const Index j0 = lo - t + front < 0 ? 0 : lo - t + front;
            const Index j1 = hi - t + front > kernel - 1 ? kernel - 1 : hi - t + front;
            if (j1 >= j0) acc += double(j1 - j0 + 1) * double(g(base + t * c));
          }
          gx(base + s * c) += T(acc * inv);
        }
        if (len < 3) return;
        double w = 0;  // Σ g[t] over t ∈ [s + front − k + 1, s + front] ∩ [0, L), from s = 1
        for (Index t = 1 + front - kernel + 1; t <= 1 + front; ++t)
          if (t >= 0 && t < len) w += double(g(base + t * c));
        for (Index s = 1; s < len - 1; ++s) {
          gx(base + s * c) += T(w * inv);
          const Index enter = s + front + 1, leave = s + front - kernel + 1;
          if (enter < len) w += double(g(base + enter * c));
          if (leave >= 0 && leave < len) w -= double(g(base + leave * c));
        }
      });
}

// x [A, B, C] -> y [B, A, C] (y += when `accumulate`): rows of C contiguous values moved
// whole, one thread per (a, b) row.
template <class T>
void swap_leading_axes(const Kokkos::View<const T*>& x, const Kokkos::View<T*>& y, Index a, Index b,
                       Index c, bool accumulate) {
  Kokkos::parallel_for(
      "pf::series::swap_leading_axes", Kokkos::RangePolicy<>(0, a * b), KOKKOS_LAMBDA(Index r) {
        const Index i = r / b, j = r % b;
        const Index src = r * c, dst = (j * a + i) * c;
        if (accumulate)
          for (Index k = 0; k < c; ++k)
            y(dst + k) += x(src + k);
        else
          for (Index k = 0; k < c; ++k)
            y(dst + k) = x(src + k);
      });
}

// y [T, N] = bias[t] on row t
template <class T>
void fill_row_bias(const Kokkos::View<T*>& y, const Kokkos::View<const T*>& bias, Index rows,
                   Index n) {
  Kokkos::parallel_for(
      "pf::series::fill_row_bias", Kokkos::RangePolicy<>(0, rows), KOKKOS_LAMBDA(Index t) {
        const T v = bias(t);
        for (Index i = 0; i < n; ++i)
          y(t * n + i) = v;
      });
}

// g [T, N] -> gb[t] += Σ_i g[t, i]
template <class T>
void row_sums(const Kokkos::View<const T*>& g, const Kokkos::View<T*>& gb, Index rows, Index n) {
  Kokkos::parallel_for(
      "pf::series::row_sums", Kokkos::RangePolicy<>(0, rows), KOKKOS_LAMBDA(Index t) {
        T s = 0;
        for (Index i = 0; i < n; ++i)
          s += g(t * n + i);
        gb(t) += s;
      });
}

// y [R, N] = x [R, N] + sign · v [N] on every row: NLinear's last-value shift, time-major.
template <class T>
void add_row_vector(const Kokkos::View<const T*>& x, const Kokkos::View<const T*>& v,
                    const Kokkos::View<T*>& y, Index rows, Index n, T sign) {
  Kokkos::parallel_for(
      "pf::series::add_row_vector", Kokkos::RangePolicy<>(0, rows), KOKKOS_LAMBDA(Index r) {
        for (Index i = 0; i < n; ++i)
          y(r * n + i) = x(r * n + i) + sign * v(i);
      });
}

}  // namespace pf::kern
