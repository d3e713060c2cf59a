// Nearest-neighbour upsampling by an integer factor on every spatial axis, channels last. The
// backward sums each input point's factor^d block in a fixed order (one thread per input point),
// so it is deterministic without atomics.
#pragma once

#include "kernels/compat.hpp"
#include "kernels/strided.hpp"

namespace pf::kern {

// Spatial extents of the input [B, S_0..S_{d−1}, C]; the output's are factor × these.
struct UpsampleGeom {
  int d = 0;
  Index dims[kMaxRank] = {};
  Index factor = 1;
  Index B = 0, C = 0;

  KOKKOS_INLINE_FUNCTION Index in_rows() const {
    Index n = B;
    for (int a = 0; a < d; ++a)
      n *= dims[a];
    return n;
  }
  // Output row of input row `row` shifted by block offset `r` (r's digits in base factor, last
  // axis fastest).
  KOKKOS_INLINE_FUNCTION Index out_row(Index row, Index r) const {
    Index coord[kMaxRank];
    for (int a = d - 1; a >= 0; --a) {
      coord[a] = row % dims[a];
      row /= dims[a];
    }
    Index out = row;  // b
    Index digits = 1;
    for (int a = 0; a < d; ++a)
      digits *= factor;
    for (int a = 0; a < d; ++a) {
      digits /= factor;
      out = out * dims[a] * factor + coord[a] * factor + (r / digits) % factor;
    }
    return out;
  }
  KOKKOS_INLINE_FUNCTION Index block() const {
    Index n = 1;
    for (int a = 0; a < d; ++a)
      n *= factor;
    return n;
  }
};

// y[out_row(p, r), c] = x[p, c] for every block offset r. x: [B·ΠS, C], y: [B·Π(f·S), C]
template <class T>
void upsample_nearest_forward(const Kokkos::View<const T*>& x, const Kokkos::View<T*>& y,
                              const UpsampleGeom& g) {
  const Index C = g.C, blk = g.block();
  Kokkos::parallel_for(
      "pf::upsample::nearest_forward", Kokkos::RangePolicy<>(0, g.in_rows() * blk),
      KOKKOS_LAMBDA(Index pr) {
        const Index p = pr / blk, r = pr % blk;
        const T* src = &x(p * C);
        T* dst = &y(g.out_row(p, r) * C);
        for (Index c = 0; c < C; ++c)
          dst[c] = src[c];
      });
}

// gx[p, c] += Σ_r gy[out_row(p, r), c], r ascending. gy: [B·Π(f·S), C], gx: [B·ΠS, C]
template <class T>
void upsample_nearest_backward(const Kokkos::View<const T*>& gy, const Kokkos::View<T*>& gx,
                               const UpsampleGeom& g) {
  const Index C = g.C, blk = g.block();
  Kokkos::parallel_for(
      "pf::upsample::nearest_backward", Kokkos::RangePolicy<>(0, g.in_rows()),
      KOKKOS_LAMBDA(Index p) {
        T* dst = &gx(p * C);
        for (Index r = 0; r < blk; ++r) {
          const T* src = &gy(g.out_row(p, r) * C);
          for (Index c = 0; c < C; ++c)
            dst[c] += src[c];
        }
      });
}

}  // namespace pf::kern
