// Instance normalisation, channels last: x viewed as [B, S, C], statistics per (b, c) over the S
// points. Sums run in two fixed stages — blocks of kInstanceRows consecutive points write partial
// sums per channel (reads along rows, so each cache line is used once), then every (b, c) adds
// its block partials in order — so results are bitwise the same on every backend and thread
// count, with no atomics.
#pragma once

#include "kernels/compat.hpp"

#include <cstdint>

namespace pf::kern {

using Index = std::int64_t;

inline constexpr Index kInstanceRows = 64;

// sums[k, b, c] = Σ_s v_k with term(i, bc, v) writing the K values v for element
// i = (b·S + s)·C + c, bc = b·C + c. sums: [K, B, C]
template <int K, class T, class Term>
void instance_sums(const char* label, Index B, Index S, Index C, const Kokkos::View<T*>& sums,
                   const Term& term) {
  const Index blocks = (S + kInstanceRows - 1) / kInstanceRows;
  const Kokkos::View<T*> part("pf::instance_norm::partials", K * B * blocks * C);
  Kokkos::parallel_for(
      label, Kokkos::RangePolicy<>(0, B * blocks), KOKKOS_LAMBDA(Index bb) {
        const Index b = bb / blocks, s0 = (bb % blocks) * kInstanceRows;
        const Index s1 = kmath::min(s0 + kInstanceRows, S);
        for (Index s = s0; s < s1; ++s)
          for (Index c = 0; c < C; ++c) {
            T v[K];
            term((b * S + s) * C + c, b * C + c, v);
            for (int k = 0; k < K; ++k)
              part((k * B * blocks + bb) * C + c) += v[k];
          }
      });
  Kokkos::parallel_for(
      "pf::instance_norm::sum_partials", Kokkos::RangePolicy<>(0, K * B * C),
      KOKKOS_LAMBDA(Index kbc) {
        const Index c = kbc % C, b = (kbc / C) % B, k = kbc / (C * B);
        T acc = T(0);
        for (Index blk = 0; blk < blocks; ++blk)
          acc += part((k * B * blocks + b * blocks + blk) * C + c);
        sums(kbc) = acc;
      });
}

// mean, rstd: [B·C] per (b, c) of x [B, S, C]; two passes (mean, then Σ (x − mean)²) so a large
// mean does not cancel the variance away. rstd = 1/√(biased variance + eps).
template <class T>
void instance_stats(const Kokkos::View<const T*>& x, const Kokkos::View<T*>& mean,
                    const Kokkos::View<T*>& rstd, Index B, Index S, Index C, T eps) {
  instance_sums<1, T>(
      "pf::instance_norm::sum_x", B, S, C, mean,
      KOKKOS_LAMBDA(Index i, Index, T(&v)[1]) { v[0] = x(i); });
  const T inv_s = T(1) / T(S);
  Kokkos::parallel_for(
      "pf::instance_norm::mean", Kokkos::RangePolicy<>(0, B * C),
      KOKKOS_LAMBDA(Index bc) { mean(bc) *= inv_s; });
  instance_sums<1, T>(
      "pf::instance_norm::sum_sq", B, S, C, rstd, KOKKOS_LAMBDA(Index i, Index bc, T(&v)[1]) {
        const T d = x(i) - mean(bc);
        v[0] = d * d;
      });
  Kokkos::parallel_for(
      "pf::instance_norm::rstd", Kokkos::RangePolicy<>(0, B * C),
      KOKKOS_LAMBDA(Index bc) { rstd(bc) = T(1) / kmath::sqrt(rstd(bc) * inv_s + eps); });
}

// y = (x − mean) · rstd. x, y: [B, S, C]; mean, rstd: [B·C]
template <class T>
void instance_normalise(const Kokkos::View<const T*>& x, const Kokkos::View<const T*>& mean,
                        const Kokkos::View<const T*>& rstd, const Kokkos::View<T*>& y, Index B,
                        Index S, Index C) {
  Kokkos::parallel_for(
      "pf::instance_norm::normalise", Kokkos::RangePolicy<>(0, B * S), KOKKOS_LAMBDA(Index bs) {
        const Index b = bs / S;
        for (Index c = 0; c < C; ++c)
          y(bs * C + c) = (x(bs * C + c) - mean(b * C + c)) * rstd(b * C + c);
      });
}

// gx += rstd (g − mean_s(g) − x̂ mean_s(g x̂)), x̂ = (x − mean) rstd. x, g, gx: [B, S, C]
template <class T>
void instance_norm_backward(const Kokkos::View<const T*>& x, const Kokkos::View<const T*>& mean,
                            const Kokkos::View<const T*>& rstd, const Kokkos::View<const T*>& g,
                            const Kokkos::View<T*>& gx, Index B, Index S, Index C) {
  const Kokkos::View<T*> sums(
      Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::instance_norm::grad_sums"), 2 * B * C);
  instance_sums<2, T>(
      "pf::instance_norm::sum_grad", B, S, C, sums, KOKKOS_LAMBDA(Index i, Index bc, T(&v)[2]) {
        v[0] = g(i);
        v[1] = g(i) * (x(i) - mean(bc)) * rstd(bc);
      });
  const T inv_s = T(1) / T(S);
  const Index BC = B * C;
  Kokkos::parallel_for(
      "pf::instance_norm::backward", Kokkos::RangePolicy<>(0, B * S), KOKKOS_LAMBDA(Index bs) {
        const Index b = bs / S;
        for (Index c = 0; c < C; ++c) {
          const Index bc = b * C + c, i = bs * C + c;
          const T xhat = (x(i) - mean(bc)) * rstd(bc);
          gx(i) += rstd(bc) * (g(i) - sums(bc) * inv_s - xhat * sums(BC + bc) * inv_s);
        }
      });
}

}  // namespace pf::kern
