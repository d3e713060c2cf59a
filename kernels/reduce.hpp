// Sum reductions over a chosen set of axes (also how broadcast gradients are summed back).
#pragma once

#include "kernels/strided.hpp"

namespace pf::kern {

// Splits a row-major box into the axes that stay (`kept`, indexed like the output) and the axes
// summed over (`reduced`); both maps' `a` strides index the source, `b` is unused.
struct ReducePlan {
  StridedMap kept;
  StridedMap reduced;
};

// dims: source shape (rank ≤ kMaxRank); reduce[d]: whether axis d is summed.
inline ReducePlan make_reduce_plan(int rank, const Index* dims, const bool* reduce) {
  Index strides[kMaxRank];
  Index s = 1;
  for (int d = rank - 1; d >= 0; --d) {
    strides[d] = s;
    s *= dims[d];
  }
  StridedMap kept, reduced;
  for (int d = 0; d < rank; ++d) {
    StridedMap& m = reduce[d] ? reduced : kept;
    m.dims[m.rank] = dims[d];
    m.a[m.rank] = strides[d];
    m.b[m.rank] = 0;
    ++m.rank;
  }
  return {coalesce(kept), coalesce(reduced)};
}

// dst[k] (+)= alpha * Σ_r src[kept(k) + reduced(r)]; src: source box, dst: [kept count]
template <class T>
void sum_reduce(const Kokkos::View<const T*>& src, const Kokkos::View<T*>& dst,
                const ReducePlan& plan, T alpha, bool accumulate) {
  const StridedMap kept = plan.kept;
  const StridedMap red = plan.reduced;
  const Index n_out = kept.count();
  const Index n_red = red.count();
  if (n_out == 1) {
    // One output: a parallel reduction over the whole source.
    T total = T(0);
    Kokkos::parallel_reduce(
        "pf::reduce::sum_all", Kokkos::RangePolicy<>(0, n_red),
        KOKKOS_LAMBDA(Index r, T & acc) {
          Index o, unused;
          red.offsets(r, o, unused);
          acc += src(o);
        },
        total);
    Kokkos::parallel_for(
        "pf::reduce::store_total", Kokkos::RangePolicy<>(0, 1),
        KOKKOS_LAMBDA(Index) { dst(0) = (accumulate ? dst(0) : T(0)) + alpha * total; });
    return;
  }
  Kokkos::parallel_for(
      "pf::reduce::sum_axes", Kokkos::RangePolicy<>(0, n_out), KOKKOS_LAMBDA(Index k) {
        Index base, unused;
        kept.offsets(k, base, unused);
        T acc = T(0);
        for (Index r = 0; r < n_red; ++r) {
          Index o;
          red.offsets(r, o, unused);
          acc += src(base + o);
        }
        dst(k) = (accumulate ? dst(k) : T(0)) + alpha * acc;
      });
}

// Σ_i x[i]^2 over [n], on the host side of the call.
template <class T>
T sum_of_squares(const Kokkos::View<const T*>& x) {
  T total = T(0);
  Kokkos::parallel_reduce(
      "pf::reduce::sum_of_squares", Kokkos::RangePolicy<>(0, Index(x.extent(0))),
      KOKKOS_LAMBDA(Index i, T & acc) { acc += x(i) * x(i); }, total);
  return total;
}

}  // namespace pf::kern
