// Fused pointwise losses: one pass forward (a reduction), one pass backward.
#pragma once

#include "kernels/strided.hpp"

namespace pf::kern {

// Σ (p − t)² (squared) or Σ |p − t|; p, t: [n]
template <class T>
T sum_of_errors(const Kokkos::View<const T*>& p, const Kokkos::View<const T*>& t, bool squared) {
  T total = T(0);
  Kokkos::parallel_reduce(
      "pf::loss::sum_of_errors", Kokkos::RangePolicy<>(0, Index(p.extent(0))),
      KOKKOS_LAMBDA(Index i, T & acc) {
        const T d = p(i) - t(i);
        acc += squared ? d * d : (d < T(0) ? -d : d);
      },
      total);
  return total;
}

// gp += s·∂/∂p, gt −= the same, with s = g[0]/n and ∂ = 2(p − t) (squared) or sign(p − t).
// p, t, gp, gt: [n] (gp or gt may be empty); g: [1]
template <class T>
void errors_backward(const Kokkos::View<const T*>& p, const Kokkos::View<const T*>& t,
                     const Kokkos::View<const T*>& g, const Kokkos::View<T*>& gp,
                     const Kokkos::View<T*>& gt, bool squared) {
  const Index n = p.extent(0);
  const bool want_p = gp.extent(0) > 0, want_t = gt.extent(0) > 0;
  Kokkos::parallel_for(
      "pf::loss::errors_backward", Kokkos::RangePolicy<>(0, n), KOKKOS_LAMBDA(Index i) {
        const T d = p(i) - t(i);
        const T s = g(0) / T(n);
        const T v = squared ? T(2) * d * s : (d > T(0) ? s : (d < T(0) ? -s : T(0)));
        if (want_p) gp(i) += v;
        if (want_t) gt(i) -= v;
      });
}

}  // namespace pf::kern
