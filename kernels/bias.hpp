// Per-channel bias for activations laid out as [outer, C, inner].
#pragma once

#include "kernels/strided.hpp"

namespace pf::kern {

// y[o, c, i] += b[c]; y: [outer, C, inner], b: [C]
template <class T>
void add_channel_bias(const Kokkos::View<T*>& y, const Kokkos::View<const T*>& b, Index outer,
                      Index C, Index inner) {
  Kokkos::parallel_for(
      "pf::bias::add", Kokkos::RangePolicy<>(0, outer * C * inner),
      KOKKOS_LAMBDA(Index t) { y(t) += b((t / inner) % C); });
}

}  // namespace pf::kern
