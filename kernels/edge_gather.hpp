// Fused gathers of graph networks: rows assembled from per-node (or per-graph) tables and a
// per-row term in one pass, and the deterministic segment sums of their adjoints written
// straight into column blocks of the tables' gradients (no gathered copies, no slices).
#pragma once

#include "kernels/compat.hpp"
#include "kernels/segments.hpp"

namespace pf::kern {

// A column block of a row-major table: element (row, c) at row·width + offset + c.
struct ColumnBlock {
  Index width = 0, offset = 0;
};

// out[r, c] = a[ia[r], c] + b[ib[r], c] + p[r, c]   (c < C; a, b, p in their column blocks)
// a: [Na, ·], b: [Nb, ·], p: [R, ·], ia, ib: [R] → out: [R, C]
template <class T>
void gather_sum3(const Kokkos::View<const T*>& a, ColumnBlock ba,
                 const Kokkos::View<const Index*>& ia, const Kokkos::View<const T*>& b,
                 ColumnBlock bb, const Kokkos::View<const Index*>& ib,
                 const Kokkos::View<const T*>& p, ColumnBlock bp, const Kokkos::View<T*>& out,
                 Index R, Index C) {
  using Policy = Kokkos::MDRangePolicy<Kokkos::Rank<2, Kokkos::Iterate::Right>>;
  Kokkos::parallel_for(
      "pf::graph::gather_sum3", Policy({0, 0}, {R, C}), KOKKOS_LAMBDA(Index r, Index c) {
        out(r * C + c) = a(ia(r) * ba.width + ba.offset + c) + b(ib(r) * bb.width + bb.offset + c) +
                         p(r * bp.width + bp.offset + c);
      });
}

// out[r, c] = s · q[iq[r], c] · x[r, c]
// q: [Nq, ·] (column block), iq: [R], x: [R, C] → out: [R, C]
template <class T>
void gather_scale_mul(const Kokkos::View<const T*>& q, ColumnBlock bq,
                      const Kokkos::View<const Index*>& iq, const Kokkos::View<const T*>& x, T s,
                      const Kokkos::View<T*>& out, Index R, Index C) {
  using Policy = Kokkos::MDRangePolicy<Kokkos::Rank<2, Kokkos::Iterate::Right>>;
  Kokkos::parallel_for(
      "pf::graph::gather_scale_mul", Policy({0, 0}, {R, C}), KOKKOS_LAMBDA(Index r, Index c) {
        out(r * C + c) = s * q(iq(r) * bq.width + bq.offset + c) * x(r * C + c);
      });
}

// dst[n, c] += s · Σ_{r: idx[r] = n} g[r, c] (· y[r, c] when y is given), rows ascending.
// g, y: [R, C]; dst: [S, ·] (column block); plan from idx.
template <class T>
void segment_sum_into_block(const Kokkos::View<const T*>& g, const Kokkos::View<const T*>& y, T s,
                            const SegmentPlan& plan, const Kokkos::View<T*>& dst, ColumnBlock bd,
                            Index C) {
  const Kokkos::View<const Index*> order = plan.order, offsets = plan.offsets;
  const bool product = y.extent(0) > 0;
  using Policy = Kokkos::MDRangePolicy<Kokkos::Rank<2, Kokkos::Iterate::Right>>;
  Kokkos::parallel_for(
      "pf::graph::segment_sum_into_block", Policy({0, 0}, {plan.segments, C}),
      KOKKOS_LAMBDA(Index n, Index c) {
        T acc = T(0);
        for (Index k = offsets(n); k < offsets(n + 1); ++k) {
          const Index i = order(k) * C + c;
          acc += product ? g(i) * y(i) : g(i);
        }
        dst(n * bd.width + bd.offset + c) += s * acc;
      });
}

// dst[r, c] += g[r, c] (· s · q[iq[r], c] when q is given); g: [R, C]; dst: [R, ·] block.
template <class T>
void add_rows_into_block(const Kokkos::View<const T*>& g, const Kokkos::View<const T*>& q,
                         ColumnBlock bq, const Kokkos::View<const Index*>& iq, T s,
                         const Kokkos::View<T*>& dst, ColumnBlock bd, Index R, Index C) {
  const bool scaled = q.extent(0) > 0;
  using Policy = Kokkos::MDRangePolicy<Kokkos::Rank<2, Kokkos::Iterate::Right>>;
  Kokkos::parallel_for(
      "pf::graph::add_rows_into_block", Policy({0, 0}, {R, C}), KOKKOS_LAMBDA(Index r, Index c) {
        const T v = g(r * C + c);
        dst(r * bd.width + bd.offset + c) +=
            scaled ? s * q(iq(r) * bq.width + bq.offset + c) * v : v;
      });
}

// Rows (e, m) for an edge's three lattice vectors: row_edge[3e + m] = e and
// row_lattice[3e + m] = 3·edge_graph[e] + m (rows of a per-graph [G·3, ·] table).
// edge_graph: [E] → row_edge, row_lattice: [3E]
inline void lattice_rows(const Kokkos::View<const Index*>& edge_graph,
                         const Kokkos::View<Index*>& row_edge,
                         const Kokkos::View<Index*>& row_lattice, Index E) {
  Kokkos::parallel_for(
      "pf::graph::lattice_rows", Kokkos::RangePolicy<>(0, 3 * E), KOKKOS_LAMBDA(Index r) {
        const Index e = r / 3;
        row_edge(r) = e;
        row_lattice(r) = 3 * edge_graph(e) + r % 3;
      });
}

}  // namespace pf::kern
