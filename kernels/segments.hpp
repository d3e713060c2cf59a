// Deterministic reductions over groups of rows given by an index (scatter-add destinations,
// graph neighbourhoods). Instead of floating-point atomics, whose order of additions changes
// from run to run on threaded and GPU backends, a plan lists each group's members in ascending
// row order; every group is then summed by one thread in that order. Results are bitwise
// reproducible and equal to the serial loop's on every backend and thread count.
#pragma once

#include "kernels/compat.hpp"
#include "kernels/strided.hpp"

#include <Kokkos_Sort.hpp>

namespace pf::kern {

struct SegmentPlan {
  Kokkos::View<Index*> order;    // [M] row positions m, sorted by (idx[m], m)
  Kokkos::View<Index*> offsets;  // [S + 1] group s holds order[offsets[s] .. offsets[s+1])
  Index segments = 0;
};

// idx: [M] with values in [0, S) (checked by the caller).
inline SegmentPlan make_segment_plan(const Kokkos::View<const Index*>& idx, Index segments) {
  const Index M = idx.extent(0);
  SegmentPlan plan;
  plan.segments = segments;
  plan.order = Kokkos::View<Index*>(
      Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::segments::order"), M);
  plan.offsets = Kokkos::View<Index*>("pf::segments::offsets", segments + 1);
  const Kokkos::View<Index*> order = plan.order, offsets = plan.offsets;
  // Unique keys idx·M + m sort into group order, rows ascending within a group.
  Kokkos::parallel_for(
      "pf::segments::keys", Kokkos::RangePolicy<>(0, M), KOKKOS_LAMBDA(Index m) {
        order(m) = idx(m) * M + m;
        Kokkos::atomic_add(&offsets(idx(m) + 1), Index(1));  // integer counts: exact
      });
  if (M > 1) Kokkos::sort(order);
  Kokkos::parallel_for(
      "pf::segments::positions", Kokkos::RangePolicy<>(0, M),
      KOKKOS_LAMBDA(Index k) { order(k) = order(k) % M; });
  Kokkos::parallel_scan(
      "pf::segments::offsets", Kokkos::RangePolicy<>(0, segments + 1),
      KOKKOS_LAMBDA(Index s, Index & running, bool final) {
        running += offsets(s);
        if (final) offsets(s) = running;
      });
  return plan;
}

// out[o, s, i] += Σ_{m: idx[m] = s} src[o, m, i] in ascending m.
// src: [outer, M, inner], out: [outer, S, inner]
template <class T>
void segment_sum_axis(const Kokkos::View<const T*>& src, const SegmentPlan& plan,
                      const Kokkos::View<T*>& out, Index outer, Index M, Index inner) {
  const Index S = plan.segments;
  const Kokkos::View<const Index*> order = plan.order, offsets = plan.offsets;
  // Three-dimensional to spare a division and two modulos per element (as gather_axis).
  using Policy = Kokkos::MDRangePolicy<Kokkos::Rank<3, Kokkos::Iterate::Right>>;
  Kokkos::parallel_for(
      "pf::segments::sum_axis", Policy({0, 0, 0}, {outer, S, inner}),
      KOKKOS_LAMBDA(Index o, Index s, Index i) {
        T acc = T(0);
        for (Index k = offsets(s); k < offsets(s + 1); ++k)
          acc += src((o * M + order(k)) * inner + i);
        out((o * S + s) * inner + i) += acc;
      });
}

}  // namespace pf::kern
