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
// Long sums: one running sum is a chain of dependent additions (~4 cycles each); kLanes
// independent partial sums per chunk let the compiler vectorise and pipeline them (sum of 4M
// floats: 7.5 ms → 0.9 ms here). value(i) gives the i-th term; it must be device-callable.
inline constexpr Index kSumChunk = 1024;
inline constexpr int kSumLanes = 8;

template <class T, class Value>
KOKKOS_INLINE_FUNCTION T lane_sum(Index begin, Index end, const Value& value) {
  T lane[kSumLanes];
  for (int u = 0; u < kSumLanes; ++u)
    lane[u] = T(0);
  Index i = begin;
  for (; i + kSumLanes <= end; i += kSumLanes)
    for (int u = 0; u < kSumLanes; ++u)
      lane[u] += value(i + u);
  T s = T(0);
  for (int u = 0; u < kSumLanes; ++u)
    s += lane[u];
  for (; i < end; ++i)
    s += value(i);
  return s;
}

// Σ_{i<n} value(i) as a parallel reduction over chunks.
template <class T, class Value>
T chunked_sum(const char* label, Index n, const Value& value) {
  T total = T(0);
  const Index chunks = (n + kSumChunk - 1) / kSumChunk;
  Kokkos::parallel_reduce(
      label, Kokkos::RangePolicy<>(0, chunks),
      KOKKOS_LAMBDA(Index c, T & acc) {
        const Index begin = c * kSumChunk;
        acc += lane_sum<T>(begin, kmath::min(begin + kSumChunk, n), value);
      },
      total);
  return total;
}

template <class T>
void sum_reduce(const Kokkos::View<const T*>& src, const Kokkos::View<T*>& dst,
                const ReducePlan& plan, T alpha, bool accumulate) {
  const StridedMap kept = plan.kept;
  const StridedMap red = plan.reduced;
  const Index n_out = kept.count();
  const Index n_red = red.count();
  // A reduced box that coalesced to one axis is a strided run: the common case gets lane sums.
  const bool strided_run = red.rank <= 1;
  const Index red_stride = red.rank == 1 ? red.a[0] : 0;
  if (n_out == 1) {
    // One output: a parallel reduction over the whole source.
    const T total = strided_run ? chunked_sum<T>(
                                      "pf::reduce::sum_all", n_red,
                                      KOKKOS_LAMBDA(Index r) { return src(r * red_stride); })
                                : chunked_sum<T>(
                                      "pf::reduce::sum_all", n_red, KOKKOS_LAMBDA(Index r) {
                                        Index o, unused;
                                        red.offsets(r, o, unused);
                                        return src(o);
                                      });
    Kokkos::parallel_for(
        "pf::reduce::store_total", Kokkos::RangePolicy<>(0, 1),
        KOKKOS_LAMBDA(Index) { dst(0) = (accumulate ? dst(0) : T(0)) + alpha * total; });
    return;
  }
  Kokkos::parallel_for(
      "pf::reduce::sum_axes", Kokkos::RangePolicy<>(0, n_out), KOKKOS_LAMBDA(Index k) {
        Index base, unused;
        kept.offsets(k, base, unused);
        T acc;
        if (strided_run) {
          acc = lane_sum<T>(0, n_red, [&](Index r) { return src(base + r * red_stride); });
        } else {
          acc = T(0);
          for (Index r = 0; r < n_red; ++r) {
            Index o;
            red.offsets(r, o, unused);
            acc += src(base + o);
          }
        }
        dst(k) = (accumulate ? dst(k) : T(0)) + alpha * acc;
      });
}

// dst[i] += alpha · src[oa(i)] over the map's box: a reduced gradient broadcast back over the
// axes it was summed over. map.a indexes src (0 strides on broadcast axes); dst is contiguous.
template <class T>
void broadcast_add(const Kokkos::View<const T*>& src, const Kokkos::View<T*>& dst,
                   const StridedMap& map, T alpha) {
  for_each_offset(
      "pf::reduce::broadcast_back", map,
      KOKKOS_LAMBDA(Index i, Index oa, Index) { dst(i) += alpha * src(oa); });
}

// Σ_i x[i]^2 over [n], on the host side of the call.
template <class T>
T sum_of_squares(const Kokkos::View<const T*>& x) {
  return chunked_sum<T>(
      "pf::reduce::sum_of_squares", Index(x.extent(0)),
      KOKKOS_LAMBDA(Index i) { return x(i) * x(i); });
}

}  // namespace pf::kern
