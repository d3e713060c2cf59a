// Nearest ×2 upsampling followed by a 3×3×3 convolution (padding 1), computed on the coarse grid
// (sub-pixel decomposition). Along one axis, fine output o = 2i + p (parity p) reads fine taps
// o − 1, o, o + 1, which lie on coarse points i − 1 + p and i + p: a 2-tap convolution whose taps
// are sums of the 3 fine taps (coarse tap a of parity p collects the fine taps d with
// a = ⌊(p + d + 1) / 2⌋ − p). With the 8 parities stacked as output channels the layer is one
// 2×2×2 convolution (padding 1) of the coarse input into [B, X+1, Y+1, Z+1, 8·Cout], whose point
// j (window starting at coarse j − 1) holds, per axis, fine output o with j = (o + 1) / 2 and
// parity p = o mod 2. 64 coarse taps per output instead of 216 fine-tap equivalents, and the
// upsampled tensor is never stored.
#pragma once

#include "kernels/compat.hpp"

#include <cstdint>

namespace pf::kern {

using Index = std::int64_t;

// Coarse tap (0 or 1) of fine tap d (0..2) for output parity p (0 or 1).
KOKKOS_INLINE_FUNCTION Index subpixel_tap(Index p, Index d) {
  return (p + d + 1) / 2 - p;
}

// w8[(p, co), ci, a] = Σ_{d : tap(p, d) = a on every axis} w[co, ci, d], p = (px, py, pz) and
// a = (ax, ay, az) row-major. w: [Cout, Cin, 3, 3, 3], w8: [8·Cout, Cin, 2, 2, 2]
template <class T>
void subpixel_fold_weight(const Kokkos::View<const T*>& w, const Kokkos::View<T*>& w8, Index Cout,
                          Index Cin) {
  Kokkos::parallel_for(
      "pf::upsample_conv::fold_weight", Kokkos::RangePolicy<>(0, 8 * Cout * Cin * 8),
      KOKKOS_LAMBDA(Index i) {
        const Index a = i % 8, cc = (i / 8) % (Cout * Cin), p = i / (8 * Cout * Cin);
        const Index px = p / 4, py = (p / 2) % 2, pz = p % 2;
        const Index ax = a / 4, ay = (a / 2) % 2, az = a % 2;
        T s = T(0);
        for (Index dx = 0; dx < 3; ++dx) {
          if (subpixel_tap(px, dx) != ax) continue;
          for (Index dy = 0; dy < 3; ++dy) {
            if (subpixel_tap(py, dy) != ay) continue;
            for (Index dz = 0; dz < 3; ++dz)
              if (subpixel_tap(pz, dz) == az) s += w(cc * 27 + (dx * 3 + dy) * 3 + dz);
          }
        }
        w8(i) = s;
      });
}

// gw[co, ci, d] += Σ_p gw8[(p, co), ci, tap(p, d)], p ascending (the adjoint of the fold).
// gw8: [8·Cout, Cin, 2, 2, 2], gw: [Cout, Cin, 3, 3, 3]
template <class T>
void subpixel_unfold_weight_grad(const Kokkos::View<const T*>& gw8, const Kokkos::View<T*>& gw,
                                 Index Cout, Index Cin) {
  Kokkos::parallel_for(
      "pf::upsample_conv::unfold_weight_grad", Kokkos::RangePolicy<>(0, Cout * Cin * 27),
      KOKKOS_LAMBDA(Index i) {
        const Index d = i % 27, cc = i / 27;
        const Index dx = d / 9, dy = (d / 3) % 3, dz = d % 3;
        T s = T(0);
        for (Index p = 0; p < 8; ++p) {
          const Index a = (subpixel_tap(p / 4, dx) * 2 + subpixel_tap((p / 2) % 2, dy)) * 2 +
                          subpixel_tap(p % 2, dz);
          s += gw8((p * Cout * Cin + cc) * 8 + a);
        }
        gw(i) += s;
      });
}

// Fine grid [B, 2X, 2Y, 2Z, C] of the coarse-grid convolution's output [B, X+1, Y+1, Z+1, 8·C]:
// fine point (o_x, o_y, o_z) is channel block p = (o_x mod 2, o_y mod 2, o_z mod 2) of coarse
// point ((o_x + 1) / 2, ...).
struct SubpixelGeom {
  Index B = 0, X = 0, Y = 0, Z = 0, C = 0;  // coarse extents, output channels

  KOKKOS_INLINE_FUNCTION Index fine_points() const { return B * 8 * X * Y * Z; }
  // Offset in the coarse output of fine point q's channel 0.
  KOKKOS_INLINE_FUNCTION Index source(Index q) const {
    const Index oz = q % (2 * Z), r = q / (2 * Z), oy = r % (2 * Y), s = r / (2 * Y),
                ox = s % (2 * X), b = s / (2 * X);
    const Index p = ((ox % 2) * 2 + oy % 2) * 2 + oz % 2;
    const Index j =
        ((b * (X + 1) + (ox + 1) / 2) * (Y + 1) + (oy + 1) / 2) * (Z + 1) + (oz + 1) / 2;
    return (j * 8 + p) * C;
  }
};

// out[q, c] = y[source(q) + c] + bias[c] (bias may be empty).
// y: [B, X+1, Y+1, Z+1, 8·C], out: [B, 2X, 2Y, 2Z, C]
template <class T>
void subpixel_shuffle(const Kokkos::View<const T*>& y, const Kokkos::View<const T*>& bias,
                      const Kokkos::View<T*>& out, const SubpixelGeom& g) {
  const Index C = g.C;
  const bool has_bias = bias.extent(0) > 0;
  Kokkos::parallel_for(
      "pf::upsample_conv::shuffle", Kokkos::RangePolicy<>(0, g.fine_points()),
      KOKKOS_LAMBDA(Index q) {
        const T* src = &y(g.source(q));
        T* dst = &out(q * C);
        if (has_bias)
          for (Index c = 0; c < C; ++c)
            dst[c] = src[c] + bias(c);
        else
          for (Index c = 0; c < C; ++c)
            dst[c] = src[c];
      });
}

// gy[source(q) + c] += gout[q, c]: every fine point has its own source, so the scatter is
// race-free; the coarse outputs no fine point reads keep their zero gradient.
// gout: [B, 2X, 2Y, 2Z, C], gy: [B, X+1, Y+1, Z+1, 8·C]
template <class T>
void subpixel_unshuffle(const Kokkos::View<const T*>& gout, const Kokkos::View<T*>& gy,
                        const SubpixelGeom& g) {
  const Index C = g.C;
  Kokkos::parallel_for(
      "pf::upsample_conv::unshuffle", Kokkos::RangePolicy<>(0, g.fine_points()),
      KOKKOS_LAMBDA(Index q) {
        const T* src = &gout(q * C);
        T* dst = &gy(g.source(q));
        for (Index c = 0; c < C; ++c)
          dst[c] += src[c];
      });
}

}  // namespace pf::kern
