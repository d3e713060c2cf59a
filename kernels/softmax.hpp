// Softmax along one axis of a box viewed as [outer, n, inner], and softmax over variable-size
// groups (segments) of rows, as graph attention needs.
#pragma once

#include "kernels/compat.hpp"
#include "kernels/fast_math.hpp"
#include "kernels/segments.hpp"
#include "kernels/strided.hpp"

#include <cfloat>

namespace pf::kern {

template <class T>
KOKKOS_INLINE_FUNCTION T lowest() {
  return sizeof(T) == sizeof(float) ? T(-FLT_MAX) : T(-DBL_MAX);
}

namespace detail {
// kUnitStride: the softmax axis is the last one (inner == 1), so the compiler sees contiguous
// rows and can vectorise them.
template <bool kUnitStride, class T>
void softmax_rows(const Kokkos::View<const T*>& x, const Kokkos::View<T*>& y, Index outer, Index n,
                  Index inner) {
  constexpr int kLanes = 8;
  Kokkos::parallel_for(
      "pf::softmax::forward", Kokkos::RangePolicy<>(0, outer * inner), KOKKOS_LAMBDA(Index r) {
        const Index stride = kUnitStride ? 1 : inner;
        const Index base = kUnitStride ? r * n : (r / inner) * n * inner + r % inner;
        const Index full = n - n % kLanes;
        T lane[kLanes];
        for (int u = 0; u < kLanes; ++u)
          lane[u] = lowest<T>();
        for (Index j = 0; j < full; j += kLanes)
          for (int u = 0; u < kLanes; ++u)
            lane[u] = kmath::max(lane[u], x(base + (j + u) * stride));
        T m = lowest<T>();
        for (int u = 0; u < kLanes; ++u)
          m = kmath::max(m, lane[u]);
        for (Index j = full; j < n; ++j)
          m = kmath::max(m, x(base + j * stride));
        for (int u = 0; u < kLanes; ++u)
          lane[u] = T(0);
        for (Index j = 0; j < full; j += kLanes)
          for (int u = 0; u < kLanes; ++u) {
            const T e = kmath::fast_exp(x(base + (j + u) * stride) - m);
            y(base + (j + u) * stride) = e;
            lane[u] += e;
          }
        T s = T(0);
        for (int u = 0; u < kLanes; ++u)
          s += lane[u];
        for (Index j = full; j < n; ++j) {
          const T e = kmath::fast_exp(x(base + j * stride) - m);
          y(base + j * stride) = e;
          s += e;
        }
        const T inv = T(1) / s;
        for (Index j = 0; j < n; ++j)
          y(base + j * stride) *= inv;
      });
}
}  // namespace detail

// y = softmax(x) along the middle axis; x, y: [outer, n, inner]
// The max and the sum run in 8 independent partial accumulators: a single running max/sum is a
// serial dependency chain the compiler may not reorder, while lanes vectorise. Lanes change the
// summation order, not the accuracy.
template <class T>
void softmax_forward(const Kokkos::View<const T*>& x, const Kokkos::View<T*>& y, Index outer,
                     Index n, Index inner) {
  if (inner == 1)
    detail::softmax_rows<true, T>(x, y, outer, n, inner);
  else
    detail::softmax_rows<false, T>(x, y, outer, n, inner);
}

// gx += y ⊙ (gy − Σ_j gy y) along the middle axis; all [outer, n, inner]
template <class T>
void softmax_backward(const Kokkos::View<const T*>& y, const Kokkos::View<const T*>& gy,
                      const Kokkos::View<T*>& gx, Index outer, Index n, Index inner) {
  Kokkos::parallel_for(
      "pf::softmax::backward", Kokkos::RangePolicy<>(0, outer * inner), KOKKOS_LAMBDA(Index r) {
        const Index base = (r / inner) * n * inner + r % inner;
        T dot = T(0);
        for (Index j = 0; j < n; ++j)
          dot += gy(base + j * inner) * y(base + j * inner);
        for (Index j = 0; j < n; ++j) {
          const Index o = base + j * inner;
          gx(o) += y(o) * (gy(o) - dot);
        }
      });
}

// Segment softmax: rows e of x [E, H] belong to segment seg[e] ∈ [0, S) (unsorted, as the plan
// from make_segment_plan lists them); within each segment and column h:
//   y[e,h] = exp(x[e,h] − max) / Σ exp(· − max).
// One thread per (segment, column) walks its rows in ascending order: no atomics, so the result
// does not depend on the backend or the thread count.
template <class T>
void segment_softmax_forward(const Kokkos::View<const T*>& x, const SegmentPlan& plan,
                             const Kokkos::View<T*>& y, Index H) {
  const Kokkos::View<const Index*> order = plan.order, offsets = plan.offsets;
  Kokkos::parallel_for(
      "pf::segment_softmax::forward", Kokkos::RangePolicy<>(0, plan.segments * H),
      KOKKOS_LAMBDA(Index t) {
        const Index s = t / H, h = t % H;
        T m = lowest<T>();
        for (Index k = offsets(s); k < offsets(s + 1); ++k)
          m = kmath::max(m, x(order(k) * H + h));
        T sum = T(0);
        for (Index k = offsets(s); k < offsets(s + 1); ++k) {
          const Index at = order(k) * H + h;
          y(at) = kmath::fast_exp(x(at) - m);
          sum += y(at);
        }
        for (Index k = offsets(s); k < offsets(s + 1); ++k)
          y(order(k) * H + h) /= sum;
      });
}

// gx += y ⊙ (gy − Σ_{rows of the segment} gy y); shapes as above.
template <class T>
void segment_softmax_backward(const Kokkos::View<const T*>& y, const SegmentPlan& plan,
                              const Kokkos::View<const T*>& gy, const Kokkos::View<T*>& gx,
                              Index H) {
  const Kokkos::View<const Index*> order = plan.order, offsets = plan.offsets;
  Kokkos::parallel_for(
      "pf::segment_softmax::backward", Kokkos::RangePolicy<>(0, plan.segments * H),
      KOKKOS_LAMBDA(Index t) {
        const Index s = t / H, h = t % H;
        T dot = T(0);
        for (Index k = offsets(s); k < offsets(s + 1); ++k) {
          const Index at = order(k) * H + h;
          dot += gy(at) * y(at);
        }
        for (Index k = offsets(s); k < offsets(s + 1); ++k) {
          const Index at = order(k) * H + h;
          gx(at) += y(at) * (gy(at) - dot);
        }
      });
}

}  // namespace pf::kern
