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

// y = softmax(x) along the middle axis; x, y: [outer, n, inner]
template <class T>
void softmax_forward(const Kokkos::View<const T*>& x, const Kokkos::View<T*>& y, Index outer,
                     Index n, Index inner) {
  Kokkos::parallel_for(
      "pf::softmax::forward", Kokkos::RangePolicy<>(0, outer * inner), KOKKOS_LAMBDA(Index r) {
        const Index base = (r / inner) * n * inner + r % inner;
        T m = lowest<T>();
        for (Index j = 0; j < n; ++j)
          m = kmath::max(m, x(base + j * inner));
        T s = T(0);
        for (Index j = 0; j < n; ++j) {
          const T e = kmath::fast_exp(x(base + j * inner) - m);
          y(base + j * inner) = e;
          s += e;
        }
        const T inv = T(1) / s;
        for (Index j = 0; j < n; ++j)
          y(base + j * inner) *= inv;
      });
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
