// Inverted dropout with a counter-based mask: element i is dropped when a hash of (seed, i) falls
// below p, so the mask is drawn on the device, never stored, and recomputed in backward.
#pragma once

#include "core/types.hpp"

#include <Kokkos_Core.hpp>

#include <cstdint>

namespace pf::kern {

// splitmix64's finaliser of seed + i·golden: a well-mixed 64-bit value per element; the top 24
// bits give a uniform in [0, 1) on a 2^-24 grid.
KOKKOS_INLINE_FUNCTION float dropout_uniform(std::uint64_t seed, Index i) {
  std::uint64_t z = seed + (std::uint64_t(i) + 1) * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return float(z >> 40) * (1.0f / 16777216.0f);
}

// y[i] = keep(i) ? x[i]·scale : 0, with keep(i) = dropout_uniform(seed, i) ≥ p; all [n].
// accumulate: y += instead of y = (the backward's gx += gy·mask).
template <class T>
void dropout_apply(const Kokkos::View<const T*>& x, const Kokkos::View<T*>& y, float p, T scale,
                   std::uint64_t seed, bool accumulate) {
  Kokkos::parallel_for(
      "pf::dropout::apply", Kokkos::RangePolicy<>(0, Index(y.extent(0))), KOKKOS_LAMBDA(Index i) {
        const T v = dropout_uniform(seed, i) < p ? T(0) : x(i) * scale;
        y(i) = accumulate ? y(i) + v : v;
      });
}

}  // namespace pf::kern
