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

}  // namespace pf::kern
