// Kernels of FactFormer-3D's input projection: the reference's grouped 1×1 convolution and GELU
// applied to a window of frames, laid out as rows for the time-collapsing convolution's GEMM.
#pragma once

#include "kernels/compat.hpp"
#include "kernels/elementwise.hpp"

namespace pf::kern {

// Grid of the padded output: rows r = ((b·Xp + i)·Yp + j)·Zp + k of [B, Xp, Yp, Zp] with
// Xp = X + pad, ...; a row is inside when i < X, j < Y and k < Z.
struct PaddedGrid {
  Index B, X, Y, Z, pad;
  KOKKOS_INLINE_FUNCTION Index xp() const { return X + pad; }
  KOKKOS_INLINE_FUNCTION Index yp() const { return Y + pad; }
  KOKKOS_INLINE_FUNCTION Index zp() const { return Z + pad; }
  KOKKOS_INLINE_FUNCTION Index rows() const { return B * xp() * yp() * zp(); }
  // the unpadded point (b, i, j, k) as the index b·X·Y·Z + point, or −1 for a pad row
  KOKKOS_INLINE_FUNCTION Index source(Index r) const {
    const Index k = r % zp(), j = (r / zp()) % yp(), i = (r / (zp() * yp())) % xp();
    const Index b = r / (zp() * yp() * xp());
    if (i >= X || j >= Y || k >= Z) return -1;
    return ((b * X + i) * Y + j) * Z + k;
  }
};

// Activations of the grouped 1×1 convolution for rows r0 .. r0+rows of the padded grid, step-major:
// a[r, t·C1 + c] = gelu(w1[c] · u[b, t, point, c / (C1/F)] + b1[c]), 0 on pad rows. Step-major
// keeps the channels of one (step, field) contiguous, so the inner loop vectorises.
// u [B, T, X·Y·Z, F]; w1, b1 [C1]; a [rows, T·C1].
template <class T>
void window_features(const Kokkos::View<const T*>& u, const Kokkos::View<const T*>& w1,
                     const Kokkos::View<const T*>& b1, const Kokkos::View<T*>& a, PaddedGrid g,
                     Index r0, Index rows, Index steps, Index fields, Index c1) {
  const Index per_field = c1 / fields, points = g.X * g.Y * g.Z, width = c1 * steps;
  Kokkos::parallel_for(
      "pf::factformer::window_features", Kokkos::RangePolicy<>(0, rows), KOKKOS_LAMBDA(Index r) {
        const Index src = g.source(r0 + r), row = r * width;
        if (src < 0) {
          for (Index j = 0; j < width; ++j)
            a(row + j) = T(0);
          return;
        }
        const Index b = src / points, p = src % points;
        for (Index t = 0; t < steps; ++t)
          for (Index f = 0; f < fields; ++f) {
            const T x = u(((b * steps + t) * points + p) * fields + f);
            const Index o = row + t * c1;  // channel c of step t at o + c
            for (Index c = f * per_field; c < (f + 1) * per_field; ++c)
              a(o + c) = GeluErf::f(w1(c) * x + b1(c));
          }
      });
}

// Through the GELU and the grouped 1×1 convolution, in place: ga [rows, T·C1] (step-major as
// window_features) holds the gradient at the activations and becomes the one at the
// pre-activations gpre (recomputed from u); pu [rows, T·C1] receives gpre times the input value
// (for w1's gradient); gu[b, t, point, f] += Σ_{c of field f} gpre · w1[c] when gu is given.
template <class T>
void window_features_backward(const Kokkos::View<const T*>& u, const Kokkos::View<const T*>& w1,
                              const Kokkos::View<const T*>& b1, const Kokkos::View<T*>& ga,
                              const Kokkos::View<T*>& pu, const Kokkos::View<T*>& gu, PaddedGrid g,
                              Index r0, Index rows, Index steps, Index fields, Index c1) {
  const bool want_gu = gu.extent(0) > 0;
  const Index per_field = c1 / fields, points = g.X * g.Y * g.Z, width = c1 * steps;
  Kokkos::parallel_for(
      "pf::factformer::window_features_backward", Kokkos::RangePolicy<>(0, rows),
      KOKKOS_LAMBDA(Index r) {
        const Index src = g.source(r0 + r), row = r * width;
        if (src < 0) {
          for (Index j = 0; j < width; ++j)
            ga(row + j) = pu(row + j) = T(0);
          return;
        }
        const Index b = src / points, p = src % points;
        for (Index t = 0; t < steps; ++t)
          for (Index f = 0; f < fields; ++f) {
            const Index ui = ((b * steps + t) * points + p) * fields + f;
            const T x = u(ui);
            const Index o = row + t * c1;  // channel c of step t at o + c
            T acc = T(0);
            for (Index c = f * per_field; c < (f + 1) * per_field; ++c) {
              const T gp = ga(o + c) * GeluErf::df(w1(c) * x + b1(c), T(0));
              ga(o + c) = gp;
              pu(o + c) = gp * x;
              acc += gp * w1(c);
            }
            if (want_gu) gu(ui) += acc;
          }
      });
}

// The time-collapsing convolution's weight from torch's layout [C, C1, T, 1] (channel-major) to
// the step-major columns of window_features [C, T·C1].
template <class T>
void step_major_weight(const Kokkos::View<const T*>& torch_layout,
                       const Kokkos::View<T*>& step_major, Index C, Index c1, Index steps) {
  Kokkos::parallel_for(
      "pf::factformer::step_major_weight", Kokkos::RangePolicy<>(0, C), KOKKOS_LAMBDA(Index o) {
        for (Index t = 0; t < steps; ++t)
          for (Index c = 0; c < c1; ++c)
            step_major((o * steps + t) * c1 + c) = torch_layout((o * c1 + c) * steps + t);
      });
}

// The way back, accumulating (a gradient into torch's layout).
template <class T>
void add_torch_layout_weight(const Kokkos::View<const T*>& step_major,
                             const Kokkos::View<T*>& torch_layout, Index C, Index c1, Index steps) {
  Kokkos::parallel_for(
      "pf::factformer::add_torch_layout_weight", Kokkos::RangePolicy<>(0, C),
      KOKKOS_LAMBDA(Index o) {
        for (Index c = 0; c < c1; ++c)
          for (Index t = 0; t < steps; ++t)
            torch_layout((o * c1 + c) * steps + t) += step_major((o * steps + t) * c1 + c);
      });
}

// out[c] += Σ_t sums[t·C1 + c]: the per-(step, channel) column sums folded over the steps.
template <class T>
void fold_steps_add(const Kokkos::View<const T*>& sums, const Kokkos::View<T*>& out, Index c1,
                    Index steps) {
  Kokkos::parallel_for(
      "pf::factformer::fold_steps", Kokkos::RangePolicy<>(0, c1), KOKKOS_LAMBDA(Index c) {
        T acc = T(0);
        for (Index t = 0; t < steps; ++t)
          acc += sums(t * c1 + c);
        out(c) += acc;
      });
}

// The unpadded corner of a padded grid: out[b, i, j, k, :] = x[b, i, j, k, :] for i < X, j < Y,
// k < Z, or (backward) gx[...] += g[...] into the same corner. x, gx: [B, Xp, Yp, Zp, C];
// out, g: [B, X, Y, Z, C].
template <class T>
void crop_corner(const Kokkos::View<const T*>& x, const Kokkos::View<T*>& out, PaddedGrid g,
                 Index C, bool accumulate_into_padded) {
  Kokkos::parallel_for(
      "pf::factformer::crop_corner", Kokkos::RangePolicy<>(0, g.B * g.X * g.Y),
      KOKKOS_LAMBDA(Index r) {
        // one z line of C·Z contiguous values on each side
        const Index j = r % g.Y, i = (r / g.Y) % g.X, b = r / (g.X * g.Y);
        const Index src = ((b * g.xp() + i) * g.yp() + j) * g.zp() * C, dst = r * g.Z * C;
        if (accumulate_into_padded) {
          for (Index q = 0; q < g.Z * C; ++q)
            out(src + q) += x(dst + q);
        } else {
          for (Index q = 0; q < g.Z * C; ++q)
            out(dst + q) = x(src + q);
        }
      });
}

}  // namespace pf::kern
