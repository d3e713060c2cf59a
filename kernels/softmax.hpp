// Softmax along one axis of a box viewed as [outer, n, inner], and softmax over variable-size
// groups (segments) of rows, as graph attention needs.
#pragma once

#include "kernels/compat.hpp"
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
          const T e = kmath::exp(x(base + j * inner) - m);
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

// Segment softmax: rows e of x [E, H] belong to segment seg[e] ∈ [0, S); within each segment
// and column h the values are normalised: y[e,h] = exp(x[e,h] − max) / Σ exp(· − max).
// Segments need not be sorted. work: [S, H] scratch (max, then sum).
template <class T>
void segment_softmax_forward(const Kokkos::View<const T*>& x, const Kokkos::View<const Index*>& seg,
                             const Kokkos::View<T*>& y, const Kokkos::View<T*>& seg_max,
                             const Kokkos::View<T*>& seg_sum, Index E, Index H) {
  Kokkos::deep_copy(seg_max, lowest<T>());
  Kokkos::deep_copy(seg_sum, T(0));
  Kokkos::parallel_for(
      "pf::segment_softmax::max", Kokkos::RangePolicy<>(0, E * H), KOKKOS_LAMBDA(Index i) {
        const Index e = i / H, h = i % H;
        Kokkos::atomic_fetch_max(&seg_max(seg(e) * H + h), x(i));
      });
  Kokkos::parallel_for(
      "pf::segment_softmax::exp_sum", Kokkos::RangePolicy<>(0, E * H), KOKKOS_LAMBDA(Index i) {
        const Index e = i / H, h = i % H;
        const T v = kmath::exp(x(i) - seg_max(seg(e) * H + h));
        y(i) = v;
        Kokkos::atomic_add(&seg_sum(seg(e) * H + h), v);
      });
  Kokkos::parallel_for(
      "pf::segment_softmax::normalise", Kokkos::RangePolicy<>(0, E * H), KOKKOS_LAMBDA(Index i) {
        const Index e = i / H, h = i % H;
        y(i) /= seg_sum(seg(e) * H + h);
      });
}

// gx += y ⊙ (gy − Σ_{e' in segment} gy y); dot: [S, H] scratch
template <class T>
void segment_softmax_backward(const Kokkos::View<const T*>& y,
                              const Kokkos::View<const Index*>& seg,
                              const Kokkos::View<const T*>& gy, const Kokkos::View<T*>& gx,
                              const Kokkos::View<T*>& dot, Index E, Index H) {
  Kokkos::deep_copy(dot, T(0));
  Kokkos::parallel_for(
      "pf::segment_softmax::backward_dot", Kokkos::RangePolicy<>(0, E * H), KOKKOS_LAMBDA(Index i) {
        const Index e = i / H, h = i % H;
        Kokkos::atomic_add(&dot(seg(e) * H + h), gy(i) * y(i));
      });
  Kokkos::parallel_for(
      "pf::segment_softmax::backward", Kokkos::RangePolicy<>(0, E * H), KOKKOS_LAMBDA(Index i) {
        const Index e = i / H, h = i % H;
        gx(i) += y(i) * (gy(i) - dot(seg(e) * H + h));
      });
}

}  // namespace pf::kern
