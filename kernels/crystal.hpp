// Kernels of the crystal graph features.
#pragma once

#include "kernels/compat.hpp"
#include "kernels/strided.hpp"

namespace pf::kern {

// out[i, b] = exp(−γ (x[i] − c[b])²)
// x: [n], c: [bins] → out: [n, bins]
template <class T>
void gaussian_expansion(const Kokkos::View<const T*>& x, const Kokkos::View<const T*>& c, T gamma,
                        const Kokkos::View<T*>& out, Index n, Index bins) {
  Kokkos::parallel_for(
      "pf::crystal::gaussian_expansion", Kokkos::RangePolicy<>(0, n * bins),
      KOKKOS_LAMBDA(Index t) {
        const Index i = t / bins, b = t % bins;
        const T d = x(i) - c(b);
        out(t) = kmath::exp(-gamma * d * d);
      });
}

// Real spherical harmonics l = 0..2 of the direction of (x, y, z), e3nn's basis and "component"
// normalisation; a zero vector gives Y⁰ = 1 and zeros, as e3nn's normalize does.
template <class T, class Out>
KOKKOS_INLINE_FUNCTION void spherical_harmonics_l2(T x, T y, T z, Out&& out) {
  const T n2 = x * x + y * y + z * z;
  const T inv = n2 > T(0) ? T(1) / kmath::sqrt(n2) : T(0);
  x *= inv;
  y *= inv;
  z *= inv;
  const T s3 = T(1.7320508075688772935), s5 = T(2.2360679774997896964),
          s15 = T(3.8729833462074168852);
  out[0] = T(1);
  out[1] = s3 * x;
  out[2] = s3 * y;
  out[3] = s3 * z;
  out[4] = s15 * x * z;
  out[5] = s15 * x * y;
  out[6] = s5 * (y * y - T(0.5) * (x * x + z * z));
  out[7] = s15 * y * z;
  out[8] = T(0.5) * s15 * (z * z - x * x);
}

// r: [E, 3] → out: [E, 9]
template <class T>
void spherical_harmonics_rows(const Kokkos::View<const T*>& r, const Kokkos::View<T*>& out,
                              Index E) {
  Kokkos::parallel_for(
      "pf::crystal::spherical_harmonics", Kokkos::RangePolicy<>(0, E), KOKKOS_LAMBDA(Index e) {
        T y[9];
        spherical_harmonics_l2(r(3 * e), r(3 * e + 1), r(3 * e + 2), y);
        for (int k = 0; k < 9; ++k)
          out(9 * e + k) = y[k];
      });
}

}  // namespace pf::kern
