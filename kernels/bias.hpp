// Per-channel bias for activations laid out as [outer, C, inner].
#pragma once

#include "kernels/strided.hpp"

namespace pf::kern {

// y[o, c, i] += b[c]; y: [outer, C, inner], b: [C]
template <class T>
void add_channel_bias(const Kokkos::View<T*>& y, const Kokkos::View<const T*>& b, Index outer,
                      Index C, Index inner) {
  // Loops by rows rather than by element: no integer division per element.
  if (inner == 1) {
    Kokkos::parallel_for(
        "pf::bias::add_last", Kokkos::RangePolicy<>(0, outer), KOKKOS_LAMBDA(Index o) {
          for (Index c = 0; c < C; ++c)
            y(o * C + c) += b(c);
        });
  } else {
    Kokkos::parallel_for(
        "pf::bias::add", Kokkos::RangePolicy<>(0, outer * C), KOKKOS_LAMBDA(Index r) {
          const T v = b(r % C);
          for (Index i = 0; i < inner; ++i)
            y(r * inner + i) += v;
        });
  }
}

}  // namespace pf::kern
