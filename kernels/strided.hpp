// Strided index maps and the copy kernel behind permute, slice, concat, pad and broadcasting.
#pragma once

#include "kernels/compat.hpp"

#include <cstdint>

namespace pf::kern {

using Index = std::int64_t;
inline constexpr int kMaxRank = 8;

// Walks the elements of a box `dims` (row-major) and gives each one's offset in two arrays
// with their own strides. Plain data, so kernels capture it by value.
struct StridedMap {
  int rank = 0;
  Index dims[kMaxRank] = {};
  Index a[kMaxRank] = {};
  Index b[kMaxRank] = {};

  KOKKOS_INLINE_FUNCTION void offsets(Index linear, Index& oa, Index& ob) const {
    // The outermost index needs no division (linear < dims[0] by then): a coalesced rank-1 map
    // costs two multiplications, not a 64-bit division per element.
    oa = 0;
    ob = 0;
    for (int d = rank - 1; d > 0; --d) {
      const Index q = linear / dims[d];
      const Index i = linear - q * dims[d];
      linear = q;
      oa += i * a[d];
      ob += i * b[d];
    }
    if (rank > 0) {
      oa += linear * a[0];
      ob += linear * b[0];
    }
  }
  KOKKOS_INLINE_FUNCTION Index count() const {
    Index n = 1;
    for (int d = 0; d < rank; ++d)
      n *= dims[d];
    return n;
  }
};

// Drops unit dims and merges neighbours that are contiguous in both arrays, so most maps end
// up rank 1-3 and the per-element index arithmetic stays cheap.
inline StridedMap coalesce(const StridedMap& in) {
  StridedMap out;
  for (int d = 0; d < in.rank; ++d) {
    if (in.dims[d] == 1) continue;
    if (out.rank > 0) {
      const int p = out.rank - 1;
      if (out.a[p] == in.a[d] * in.dims[d] && out.b[p] == in.b[d] * in.dims[d]) {
        out.dims[p] *= in.dims[d];
        out.a[p] = in.a[d];
        out.b[p] = in.b[d];
        continue;
      }
    }
    out.dims[out.rank] = in.dims[d];
    out.a[out.rank] = in.a[d];
    out.b[out.rank] = in.b[d];
    ++out.rank;
  }
  return out;
}

// Calls body(i, oa, ob) for every linear index i of the map's box with its two offsets, using
// the cheapest index arithmetic the map allows: most maps coalesce to one axis, where the
// offsets are i·stride and the loop vectorises; the general path divides per axis.
template <class Body>
void for_each_offset(const char* label, const StridedMap& map, const Body& body) {
  const StridedMap m = coalesce(map);
  const Index n = m.count();
  if (m.rank <= 1) {
    const Index sa = m.rank ? m.a[0] : 0, sb = m.rank ? m.b[0] : 0;
    Kokkos::parallel_for(
        label, Kokkos::RangePolicy<>(0, n), KOKKOS_LAMBDA(Index i) { body(i, i * sa, i * sb); });
  } else {
    Kokkos::parallel_for(
        label, Kokkos::RangePolicy<>(0, n), KOKKOS_LAMBDA(Index i) {
          Index oa, ob;
          m.offsets(i, oa, ob);
          body(i, oa, ob);
        });
  }
}

// dst[dst_base + b-offset] (+)= src[src_base + a-offset] over the box of `map`.
// src, dst: flat views; map.a strides into src, map.b strides into dst.
template <class T>
void strided_copy(const Kokkos::View<const T*>& src, Index src_base, const Kokkos::View<T*>& dst,
                  Index dst_base, const StridedMap& map_in, bool accumulate) {
  if (accumulate)
    for_each_offset(
        "pf::strided::add", map_in,
        KOKKOS_LAMBDA(Index, Index oa, Index ob) { dst(dst_base + ob) += src(src_base + oa); });
  else
    for_each_offset(
        "pf::strided::copy", map_in,
        KOKKOS_LAMBDA(Index, Index oa, Index ob) { dst(dst_base + ob) = src(src_base + oa); });
}

// dst[i] += alpha * src[i]; dst, src: [n]
template <class T>
void axpy(T alpha, const Kokkos::View<const T*>& src, const Kokkos::View<T*>& dst) {
  Kokkos::parallel_for(
      "pf::strided::axpy", Kokkos::RangePolicy<>(0, static_cast<Index>(dst.extent(0))),
      KOKKOS_LAMBDA(Index i) { dst(i) += alpha * src(i); });
}

}  // namespace pf::kern
