// Gather of slices along one axis with a 1-D index (edge ← node moves of graph networks,
// embedding lookups); its adjoint, the scatter-add, is kernels/segments.hpp's segment_sum_axis.
#pragma once

#include "kernels/strided.hpp"

namespace pf::kern {

// out[o, m, i] = x[o, idx[m], i]; x: [outer, n, inner], idx: [M], out: [outer, M, inner]
template <class T>
void gather_axis(const Kokkos::View<const T*>& x, const Kokkos::View<const Index*>& idx,
                 const Kokkos::View<T*>& out, Index outer, Index n, Index M, Index inner) {
  // Three-dimensional: a flat index would pay a division and two modulos per element, several
  // times the cost of the copy itself.
  using Policy = Kokkos::MDRangePolicy<Kokkos::Rank<3, Kokkos::Iterate::Right>>;
  Kokkos::parallel_for(
      "pf::index::gather", Policy({0, 0, 0}, {outer, M, inner}),
      KOKKOS_LAMBDA(Index o, Index m, Index i) {
        out((o * M + m) * inner + i) = x((o * n + idx(m)) * inner + i);
      });
}

// Number of idx values outside [0, n): checked before any gather/scatter so a bad index is an
// error with a message, never a wild memory access.
inline Index count_out_of_range(const Kokkos::View<const Index*>& idx, Index n) {
  Index bad = 0;
  Kokkos::parallel_reduce(
      "pf::index::check_range", Kokkos::RangePolicy<>(0, Index(idx.extent(0))),
      KOKKOS_LAMBDA(Index m, Index & acc) { acc += (idx(m) < 0 || idx(m) >= n) ? 1 : 0; }, bad);
  return bad;
}

}  // namespace pf::kern
