// 3-D convolution kernels, channels last, as blocked im2col + GEMM. A block of output points
// gathers its receptive fields into a [rows, taps·Cin] buffer (tap-major, channels contiguous, so
// every gather is a run of Cin contiguous values), and one GEMM against the weight repacked as
// [Cout, taps·Cin] produces the block's outputs. Blocks bound the buffer, so memory stays of the
// order of the input and output instead of taps × input. The transposed direction (gradient of
// the input) scatters the buffer back one tap at a time: for a fixed tap the output → input map
// is injective, so each tap's kernel is race-free and the taps add in a fixed order — the result
// is deterministic without atomics.
#pragma once

#include "kernels/compat.hpp"

#include <cstdint>

namespace pf::kern {

using Index = std::int64_t;

// Geometry of x [B, X, Y, Z, Cin] ⋆ w [Cout, Cin, KX, KY, KZ] → [B, OX, OY, OZ, Cout] with the
// same stride and zero padding on every axis.
struct Conv3dGeom {
  Index B = 0, X = 0, Y = 0, Z = 0, Cin = 0;
  Index KX = 0, KY = 0, KZ = 0, Cout = 0;
  Index stride = 1, pad = 0;
  Index OX = 0, OY = 0, OZ = 0;

  KOKKOS_INLINE_FUNCTION Index taps() const { return KX * KY * KZ; }
  KOKKOS_INLINE_FUNCTION Index out_points() const { return B * OX * OY * OZ; }
  KOKKOS_INLINE_FUNCTION Index in_points() const { return B * X * Y * Z; }

  // Sample b and the input coordinates of tap (0, 0, 0) of output point p (negative in the
  // padding). Integer division is the costly part of the index arithmetic: done once per point,
  // the taps then step from this corner by addition.
  KOKKOS_INLINE_FUNCTION void corner(Index p, Index& b, Index& x0, Index& y0, Index& z0) const {
    const Index oz = p % OZ, q = p / OZ, oy = q % OY, r = q / OY, ox = r % OX;
    b = r / OX;
    x0 = ox * stride - pad, y0 = oy * stride - pad, z0 = oz * stride - pad;
  }
  // Input point (b, ix, iy, iz), or −1 in the padding.
  KOKKOS_INLINE_FUNCTION Index input_point(Index b, Index ix, Index iy, Index iz) const {
    if (ix < 0 || ix >= X || iy < 0 || iy >= Y || iz < 0 || iz >= Z) return -1;
    return ((b * X + ix) * Y + iy) * Z + iz;
  }
};

// wr[co, t, ci] = w[co, ci, t]: PyTorch's layout to the buffer's tap-major order.
// w, wr: [Cout, Cin, taps] / [Cout, taps, Cin]
template <class T>
void conv_pack_weight(const Kokkos::View<const T*>& w, const Kokkos::View<T*>& wr,
                      const Conv3dGeom& g) {
  const Index taps = g.taps(), Cin = g.Cin;
  Kokkos::parallel_for(
      "pf::conv::pack_weight", Kokkos::RangePolicy<>(0, g.Cout * taps * Cin),
      KOKKOS_LAMBDA(Index i) {
        const Index ci = i % Cin, t = (i / Cin) % taps, co = i / (Cin * taps);
        wr(i) = w((co * Cin + ci) * taps + t);
      });
}

// gw[co, ci, t] += gwr[co, t, ci]: the packed weight gradient back to PyTorch's layout.
// gwr, gw: [Cout, taps, Cin] / [Cout, Cin, taps]
template <class T>
void conv_unpack_weight_grad(const Kokkos::View<const T*>& gwr, const Kokkos::View<T*>& gw,
                             const Conv3dGeom& g) {
  const Index taps = g.taps(), Cin = g.Cin;
  Kokkos::parallel_for(
      "pf::conv::unpack_weight_grad", Kokkos::RangePolicy<>(0, g.Cout * Cin * taps),
      KOKKOS_LAMBDA(Index i) {
        const Index t = i % taps, ci = (i / taps) % Cin, co = i / (taps * Cin);
        gw(i) += gwr((co * taps + t) * Cin + ci);
      });
}

// out[p, co] = bias[co], or 0 where bias is empty. out: [P, Cout], bias: [Cout] or empty
template <class T>
void conv_init_output(const Kokkos::View<const T*>& bias, const Kokkos::View<T*>& out, Index P,
                      Index Cout) {
  const bool has_bias = bias.extent(0) > 0;
  Kokkos::parallel_for(
      "pf::conv::init_output", Kokkos::RangePolicy<>(0, P * Cout),
      KOKKOS_LAMBDA(Index i) { out(i) = has_bias ? bias(i % Cout) : T(0); });
}

// col[r, t, ci] = x[input point of output p0 + r at tap t, ci] (0 in the padding), r < rows.
// x: [B·X·Y·Z, Cin], col: [rows, taps, Cin]. One work item per (row, dx): KY·KZ contiguous runs
// of Cin values.
template <class T>
void conv_im2col(const Kokkos::View<const T*>& x, const Kokkos::View<T*>& col, const Conv3dGeom& g,
                 Index p0, Index rows) {
  const Index Cin = g.Cin, KX = g.KX, KY = g.KY, KZ = g.KZ;
  Kokkos::parallel_for(
      "pf::conv::im2col", Kokkos::RangePolicy<>(0, rows * KX), KOKKOS_LAMBDA(Index i) {
        const Index r = i / KX, dx = i - r * KX;
        Index b, x0, y0, z0;
        g.corner(p0 + r, b, x0, y0, z0);
        T* dst = &col(i * KY * KZ * Cin);
        for (Index dy = 0; dy < KY; ++dy)
          for (Index dz = 0; dz < KZ; ++dz, dst += Cin) {
            const Index src = g.input_point(b, x0 + dx, y0 + dy, z0 + dz);
            if (src < 0) {
              for (Index ci = 0; ci < Cin; ++ci)
                dst[ci] = T(0);
            } else {
              const T* in = &x(src * Cin);
              for (Index ci = 0; ci < Cin; ++ci)
                dst[ci] = in[ci];
            }
          }
      });
}

// gx[input point of output p0 + r at tap t, ci] += col[r, t, ci] for one tap t over r < rows
// (race-free: one tap maps distinct outputs to distinct inputs).
// col: [rows, taps, Cin], gx: [B·X·Y·Z, Cin]
template <class T>
void conv_col2im_tap(const Kokkos::View<const T*>& col, const Kokkos::View<T*>& gx,
                     const Conv3dGeom& g, Index p0, Index rows, Index t) {
  const Index taps = g.taps(), Cin = g.Cin;
  const Index dz = t % g.KZ, dy = (t / g.KZ) % g.KY, dx = t / (g.KZ * g.KY);
  Kokkos::parallel_for(
      "pf::conv::col2im_tap", Kokkos::RangePolicy<>(0, rows), KOKKOS_LAMBDA(Index r) {
        Index b, x0, y0, z0;
        g.corner(p0 + r, b, x0, y0, z0);
        const Index dst = g.input_point(b, x0 + dx, y0 + dy, z0 + dz);
        if (dst < 0) return;
        const T* src = &col((r * taps + t) * Cin);
        T* out = &gx(dst * Cin);
        for (Index ci = 0; ci < Cin; ++ci)
          out[ci] += src[ci];
      });
}

}  // namespace pf::kern
