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

// Pre-activations of the grouped 1×1 convolution for rows r0.. r0+rows of the padded grid:
// pre[r, c·T + t] = w1[c] · u[b, t, point, c / (C1/F)] + b1[c] (0 on pad rows), with
// a[r, c·T + t] = gelu(pre) (0 on pad rows) when `a` is given.
// u [B, T, X·Y·Z, F]; w1, b1 [C1]; pre, a [rows, C1·T].
template <class T>
void window_features(const Kokkos::View<const T*>& u, const Kokkos::View<const T*>& w1,
                     const Kokkos::View<const T*>& b1, const Kokkos::View<T*>& pre,
                     const Kokkos::View<T*>& a, PaddedGrid g, Index r0, Index rows, Index steps,
                     Index fields, Index c1) {
  const bool act = a.extent(0) > 0;
  const Index per_field = c1 / fields, points = g.X * g.Y * g.Z, width = c1 * steps;
  Kokkos::parallel_for(
      "pf::factformer::window_features", Kokkos::RangePolicy<>(0, rows), KOKKOS_LAMBDA(Index r) {
        const Index src = g.source(r0 + r);
        const Index b = src / points, p = src % points;
        for (Index c = 0; c < c1; ++c)
          for (Index t = 0; t < steps; ++t) {
            const T x =
                src >= 0
                    ? w1(c) * u(((b * steps + t) * points + p) * fields + c / per_field) + b1(c)
                    : T(0);
            pre(r * width + c * steps + t) = x;
            if (act) a(r * width + c * steps + t) = src >= 0 ? GeluErf::f(x) : T(0);
          }
      });
}

// Through the GELU and the grouped 1×1 convolution, in place: ga [rows, C1·T] holds the gradient
// at the activations and becomes the one at the pre-activations; pu [rows, C1·T] receives that
// times the input value (for w1's gradient); gu[b, t, point, f] += Σ_{c of field f} gpre · w1[c].
template <class T>
void window_features_backward(const Kokkos::View<const T*>& u, const Kokkos::View<const T*>& w1,
                              const Kokkos::View<const T*>& pre, const Kokkos::View<T*>& ga,
                              const Kokkos::View<T*>& pu, const Kokkos::View<T*>& gu, PaddedGrid g,
                              Index r0, Index rows, Index steps, Index fields, Index c1) {
  const bool want_gu = gu.extent(0) > 0;
  const Index per_field = c1 / fields, points = g.X * g.Y * g.Z, width = c1 * steps;
  Kokkos::parallel_for(
      "pf::factformer::window_features_backward", Kokkos::RangePolicy<>(0, rows),
      KOKKOS_LAMBDA(Index r) {
        const Index src = g.source(r0 + r);
        const Index b = src / points, p = src % points;
        for (Index t = 0; t < steps; ++t)
          for (Index f = 0; f < fields; ++f) {
            const Index ui = ((b * steps + t) * points + p) * fields + f;
            const T x = src >= 0 ? u(ui) : T(0);
            T acc = T(0);
            for (Index c = f * per_field; c < (f + 1) * per_field; ++c) {
              const Index o = r * width + c * steps + t;
              const T gp = src >= 0 ? ga(o) * GeluErf::df(pre(o), T(0)) : T(0);
              ga(o) = gp;
              pu(o) = gp * x;
              acc += gp * w1(c);
            }
            if (want_gu && src >= 0) gu(ui) += acc;
          }
      });
}

// out[c] += Σ_t sums[c·T + t]: the per-(channel, step) column sums folded over the steps.
template <class T>
void fold_steps_add(const Kokkos::View<const T*>& sums, const Kokkos::View<T*>& out, Index c1,
                    Index steps) {
  Kokkos::parallel_for(
      "pf::factformer::fold_steps", Kokkos::RangePolicy<>(0, c1), KOKKOS_LAMBDA(Index c) {
        T acc = T(0);
        for (Index t = 0; t < steps; ++t)
          acc += sums(c * steps + t);
        out(c) += acc;
      });
}

}  // namespace pf::kern
