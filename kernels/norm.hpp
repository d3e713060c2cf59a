// Normalisation kernels. All view the input as [outer, C, inner] or rows [R, D] and keep per-group
// mean and reciprocal standard deviation for backward.
#pragma once

#include "kernels/compat.hpp"
#include "kernels/strided.hpp"

namespace pf::kern {

// Mean and biased variance of x[o, o + count): two passes, stable when the mean is large.
template <class T>
KOKKOS_INLINE_FUNCTION void span_mean_var(const Kokkos::View<const T*>& x, Index o, Index count,
                                          T& mean, T& var) {
  T m = T(0);
  for (Index i = 0; i < count; ++i)
    m += x(o + i);
  m /= T(count);
  T v = T(0);
  for (Index i = 0; i < count; ++i)
    v += (x(o + i) - m) * (x(o + i) - m);
  mean = m;
  var = v / T(count);
}

// LayerNorm over the last axis. x, y: [R, D]; w, b: [D] (each may be an empty view: no scale,
// no shift);
// mean, rstd: [R].
template <class T>
void layernorm_forward(const Kokkos::View<const T*>& x, const Kokkos::View<const T*>& w,
                       const Kokkos::View<const T*>& b, const Kokkos::View<T*>& y,
                       const Kokkos::View<T*>& mean, const Kokkos::View<T*>& rstd, Index R, Index D,
                       T eps) {
  const bool has_w = w.extent(0) > 0, has_b = b.extent(0) > 0;  // each optional
  Kokkos::parallel_for(
      "pf::layernorm::forward", Kokkos::RangePolicy<>(0, R), KOKKOS_LAMBDA(Index r) {
        const Index o = r * D;
        T m, v;
        span_mean_var(x, o, D, m, v);
        const T rs = T(1) / kmath::sqrt(v + eps);
        mean(r) = m;
        rstd(r) = rs;
        for (Index j = 0; j < D; ++j) {
          const T xhat = (x(o + j) - m) * rs;
          y(o + j) = (has_w ? xhat * w(j) : xhat) + (has_b ? b(j) : T(0));
        }
      });
}

// gx += rstd (g' − mean(g') − x̂ mean(g' x̂)) with g' = gy ⊙ w; gx may be empty.
// x, gy, gx: [R, D]; w: [D] or empty; mean, rstd: [R].
template <class T>
void layernorm_backward_input(const Kokkos::View<const T*>& x, const Kokkos::View<const T*>& w,
                              const Kokkos::View<const T*>& mean,
                              const Kokkos::View<const T*>& rstd, const Kokkos::View<const T*>& gy,
                              const Kokkos::View<T*>& gx, Index R, Index D) {
  const bool affine = w.extent(0) > 0;
  Kokkos::parallel_for(
      "pf::layernorm::backward_input", Kokkos::RangePolicy<>(0, R), KOKKOS_LAMBDA(Index r) {
        const Index o = r * D;
        const T m = mean(r), rs = rstd(r);
        T sg = T(0), sgx = T(0);
        for (Index j = 0; j < D; ++j) {
          const T g = affine ? gy(o + j) * w(j) : gy(o + j);
          sg += g;
          sgx += g * (x(o + j) - m) * rs;
        }
        sg /= T(D);
        sgx /= T(D);
        for (Index j = 0; j < D; ++j) {
          const T g = affine ? gy(o + j) * w(j) : gy(o + j);
          const T xhat = (x(o + j) - m) * rs;
          gx(o + j) += rs * (g - sg - xhat * sgx);
        }
      });
}

// gw += Σ_r gy x̂, gb += Σ_r gy (either may be empty). Shapes as above.
// Two passes so every read is along rows: blocks of kRowBlock rows write partial column sums
// [blocks, D], then each column sums its partials. (One thread per column striding down the
// rows re-read each cache line D/16 times and ran 3× slower than the forward.)
template <class T>
void layernorm_backward_affine(const Kokkos::View<const T*>& x, const Kokkos::View<const T*>& mean,
                               const Kokkos::View<const T*>& rstd, const Kokkos::View<const T*>& gy,
                               const Kokkos::View<T*>& gw, const Kokkos::View<T*>& gb, Index R,
                               Index D) {
  constexpr Index kRowBlock = 64;
  const bool want_w = gw.extent(0) > 0, want_b = gb.extent(0) > 0;
  const Index blocks = (R + kRowBlock - 1) / kRowBlock;
  Kokkos::View<T*> part_w("pf::layernorm::partial_gw", blocks * D);
  Kokkos::View<T*> part_b("pf::layernorm::partial_gb", blocks * D);
  Kokkos::parallel_for(
      "pf::layernorm::backward_affine_partials", Kokkos::RangePolicy<>(0, blocks),
      KOKKOS_LAMBDA(Index blk) {
        const Index end = kmath::min((blk + 1) * kRowBlock, R);
        for (Index r = blk * kRowBlock; r < end; ++r) {
          const T m = mean(r), rs = rstd(r);
          for (Index j = 0; j < D; ++j) {
            const T g = gy(r * D + j);
            part_w(blk * D + j) += g * (x(r * D + j) - m) * rs;
            part_b(blk * D + j) += g;
          }
        }
      });
  Kokkos::parallel_for(
      "pf::layernorm::backward_affine_sum", Kokkos::RangePolicy<>(0, D), KOKKOS_LAMBDA(Index j) {
        T sw = T(0), sb = T(0);
        for (Index blk = 0; blk < blocks; ++blk) {
          sw += part_w(blk * D + j);
          sb += part_b(blk * D + j);
        }
        if (want_w) gw(j) += sw;
        if (want_b) gb(j) += sb;
      });
}

// Channel-group statistics for x viewed as [N, C, S]: group g of sample n covers channels
// [g·C/G, (g+1)·C/G) and all S positions. mean, rstd: [N·G] (GroupNorm) — BatchNorm is the
// same with N folded into the group: see batch_stats.
template <class T>
void group_stats(const Kokkos::View<const T*>& x, const Kokkos::View<T*>& mean,
                 const Kokkos::View<T*>& var, Index N, Index C, Index S, Index G) {
  const Index cg = C / G;
  Kokkos::parallel_for(
      "pf::groupnorm::stats", Kokkos::RangePolicy<>(0, N * G), KOKKOS_LAMBDA(Index ng) {
        const Index n = ng / G, g = ng % G;
        span_mean_var(x, (n * C + g * cg) * S, cg * S, mean(ng), var(ng));
      });
}

// Per-channel sums over the rows of a row-major [N, C] array (BatchNorm with S = 1). One thread
// per channel walks a column with stride C, a cache line per element: on host backends a thread
// takes kColumnLanes adjacent channels and streams the rows instead. Each channel's sum keeps
// its order (rows ascending), so results are bitwise those of the per-channel loop.
constexpr Index kColumnLanes =
    Kokkos::SpaceAccessibility<Kokkos::HostSpace,
                               Kokkos::DefaultExecutionSpace::memory_space>::accessible
        ? 16
        : 1;

// f(c0, lanes): one call per block of up to kColumnLanes channels starting at c0.
template <class F>
void for_each_column_block(const char* label, Index C, const F& f) {
  Kokkos::parallel_for(
      label, Kokkos::RangePolicy<>(0, (C + kColumnLanes - 1) / kColumnLanes),
      KOKKOS_LAMBDA(Index b) {
        const Index c0 = b * kColumnLanes;
        f(c0, C - c0 < kColumnLanes ? C - c0 : kColumnLanes);
      });
}

// Per-channel statistics over N and S for x [N, C, S]; var is the biased variance.
template <class T>
void batch_stats(const Kokkos::View<const T*>& x, const Kokkos::View<T*>& mean,
                 const Kokkos::View<T*>& var, Index N, Index C, Index S) {
  if (S == 1 && kColumnLanes > 1) {
    for_each_column_block(
        "pf::batchnorm::stats_rows", C, KOKKOS_LAMBDA(Index c0, Index lanes) {
          T m[kColumnLanes], v[kColumnLanes];
          for (Index j = 0; j < lanes; ++j)
            m[j] = v[j] = T(0);
          for (Index n = 0; n < N; ++n)
            for (Index j = 0; j < lanes; ++j)
              m[j] += x(n * C + c0 + j);
          for (Index j = 0; j < lanes; ++j)
            m[j] /= T(N);
          for (Index n = 0; n < N; ++n)
            for (Index j = 0; j < lanes; ++j) {
              const T d = x(n * C + c0 + j) - m[j];
              v[j] += d * d;
            }
          for (Index j = 0; j < lanes; ++j) {
            mean(c0 + j) = m[j];
            var(c0 + j) = v[j] / T(N);
          }
        });
    return;
  }
  Kokkos::parallel_for(
      "pf::batchnorm::stats", Kokkos::RangePolicy<>(0, C), KOKKOS_LAMBDA(Index c) {
        T m = T(0);
        for (Index n = 0; n < N; ++n)
          for (Index s = 0; s < S; ++s)
            m += x((n * C + c) * S + s);
        m /= T(N * S);
        T v = T(0);
        for (Index n = 0; n < N; ++n)
          for (Index s = 0; s < S; ++s) {
            const T d = x((n * C + c) * S + s) - m;
            v += d * d;
          }
        mean(c) = m;
        var(c) = v / T(N * S);
      });
}

// y[n,c,s] = (x − mean[k]) rstd[k] w[c] + b[c], k = stat_index(n, c) = n·G + c/(C/G) when
// per_sample, else c (BatchNorm: G = C). x, y: [N, C, S]; w, b: [C] or empty.
template <class T>
void channel_normalise(const Kokkos::View<const T*>& x, const Kokkos::View<const T*>& mean,
                       const Kokkos::View<const T*>& rstd, const Kokkos::View<const T*>& w,
                       const Kokkos::View<const T*>& b, const Kokkos::View<T*>& y, Index N, Index C,
                       Index S, Index G, bool per_sample) {
  const bool has_w = w.extent(0) > 0, has_b = b.extent(0) > 0;  // each optional
  const Index cg = C / G;
  Kokkos::parallel_for(
      "pf::norm::channel_normalise", Kokkos::RangePolicy<>(0, N * C * S), KOKKOS_LAMBDA(Index i) {
        const Index c = (i / S) % C, n = i / (S * C);
        const Index k = per_sample ? n * G + c / cg : c;
        const T xhat = (x(i) - mean(k)) * rstd(k);
        y(i) = (has_w ? xhat * w(c) : xhat) + (has_b ? b(c) : T(0));
      });
}

// Backward of channel_normalise when the statistics came from the batch itself (GroupNorm,
// BatchNorm in training): for every statistics group k with m members,
//   gx += rstd (g' − mean_k(g') − x̂ mean_k(g' x̂)),  g' = gy ⊙ w.
// sum_g, sum_gx: [K] scratch.
template <class T>
void channel_normalise_backward_input(const Kokkos::View<const T*>& x,
                                      const Kokkos::View<const T*>& mean,
                                      const Kokkos::View<const T*>& rstd,
                                      const Kokkos::View<const T*>& w,
                                      const Kokkos::View<const T*>& gy, const Kokkos::View<T*>& gx,
                                      const Kokkos::View<T*>& sum_g, const Kokkos::View<T*>& sum_gx,
                                      Index N, Index C, Index S, Index G, bool per_sample) {
  const bool affine = w.extent(0) > 0;
  const Index cg = C / G;
  const Index members = per_sample ? cg * S : N * S;
  const Index K = per_sample ? N * G : C;
  if (!per_sample && S == 1 && kColumnLanes > 1) {
    for_each_column_block(
        "pf::norm::backward_sums_rows", C, KOKKOS_LAMBDA(Index c0, Index lanes) {
          T sg[kColumnLanes], sgx[kColumnLanes];
          for (Index j = 0; j < lanes; ++j)
            sg[j] = sgx[j] = T(0);
          for (Index n = 0; n < N; ++n)
            for (Index j = 0; j < lanes; ++j) {
              const Index i = n * C + c0 + j, c = c0 + j;
              const T g = affine ? gy(i) * w(c) : gy(i);
              sg[j] += g;
              sgx[j] += g * (x(i) - mean(c)) * rstd(c);
            }
          for (Index j = 0; j < lanes; ++j) {
            sum_g(c0 + j) = sg[j];
            sum_gx(c0 + j) = sgx[j];
          }
        });
  } else {
    // One thread per statistics group sums its members in a fixed order (no atomics: the result
    // is the same on every backend and thread count).
    Kokkos::parallel_for(
        "pf::norm::backward_sums", Kokkos::RangePolicy<>(0, K), KOKKOS_LAMBDA(Index k) {
          T sg = T(0), sgx = T(0);
          for (Index j = 0; j < members; ++j) {
            // Member j of group k: GroupNorm walks its contiguous block (cg channels × S);
            // BatchNorm walks channel k of every sample.
            const Index i = per_sample ? k * cg * S + j : ((j / S) * C + k) * S + j % S;
            const Index c = per_sample ? (k % G) * cg + j / S : k;
            const T g = affine ? gy(i) * w(c) : gy(i);
            sg += g;
            sgx += g * (x(i) - mean(k)) * rstd(k);
          }
          sum_g(k) = sg;
          sum_gx(k) = sgx;
        });
  }
  Kokkos::parallel_for(
      "pf::norm::backward_input", Kokkos::RangePolicy<>(0, N * C * S), KOKKOS_LAMBDA(Index i) {
        const Index c = (i / S) % C, n = i / (S * C);
        const Index k = per_sample ? n * G + c / cg : c;
        const T g = affine ? gy(i) * w(c) : gy(i);
        const T xhat = (x(i) - mean(k)) * rstd(k);
        gx(i) += rstd(k) * (g - sum_g(k) / T(members) - xhat * sum_gx(k) / T(members));
      });
}

// gw[c] += Σ gy x̂, gb[c] += Σ gy over n and s (either may be empty); shapes as above.
template <class T>
void channel_normalise_backward_affine(const Kokkos::View<const T*>& x,
                                       const Kokkos::View<const T*>& mean,
                                       const Kokkos::View<const T*>& rstd,
                                       const Kokkos::View<const T*>& gy, const Kokkos::View<T*>& gw,
                                       const Kokkos::View<T*>& gb, Index N, Index C, Index S,
                                       Index G, bool per_sample) {
  const bool want_w = gw.extent(0) > 0, want_b = gb.extent(0) > 0;
  const Index cg = C / G;
  if (!per_sample && S == 1 && kColumnLanes > 1) {
    for_each_column_block(
        "pf::norm::backward_affine_rows", C, KOKKOS_LAMBDA(Index c0, Index lanes) {
          T sw[kColumnLanes], sb[kColumnLanes];
          for (Index j = 0; j < lanes; ++j)
            sw[j] = sb[j] = T(0);
          for (Index n = 0; n < N; ++n)
            for (Index j = 0; j < lanes; ++j) {
              const Index i = n * C + c0 + j, c = c0 + j;
              sw[j] += gy(i) * (x(i) - mean(c)) * rstd(c);
              sb[j] += gy(i);
            }
          for (Index j = 0; j < lanes; ++j) {
            if (want_w) gw(c0 + j) += sw[j];
            if (want_b) gb(c0 + j) += sb[j];
          }
        });
    return;
  }
  Kokkos::parallel_for(
      "pf::norm::backward_affine", Kokkos::RangePolicy<>(0, C), KOKKOS_LAMBDA(Index c) {
        T sw = T(0), sb = T(0);
        for (Index n = 0; n < N; ++n) {
          const Index k = per_sample ? n * G + c / cg : c;
          for (Index s = 0; s < S; ++s) {
            const Index i = (n * C + c) * S + s;
            sw += gy(i) * (x(i) - mean(k)) * rstd(k);
            sb += gy(i);
          }
        }
        if (want_w) gw(c) += sw;
        if (want_b) gb(c) += sb;
      });
}

// Backward when the statistics are constants (BatchNorm in eval): gx += gy w rstd[c].
template <class T>
void channel_affine_backward_input(const Kokkos::View<const T*>& rstd,
                                   const Kokkos::View<const T*>& w,
                                   const Kokkos::View<const T*>& gy, const Kokkos::View<T*>& gx,
                                   Index C, Index S) {
  const bool affine = w.extent(0) > 0;
  Kokkos::parallel_for(
      "pf::batchnorm::eval_backward_input", Kokkos::RangePolicy<>(0, Index(gx.extent(0))),
      KOKKOS_LAMBDA(Index i) {
        const Index c = (i / S) % C;
        gx(i) += gy(i) * rstd(c) * (affine ? w(c) : T(1));
      });
}

// rstd = 1 / sqrt(var + eps); both [K]
template <class T>
void rstd_from_var(const Kokkos::View<const T*>& var, T eps, const Kokkos::View<T*>& rstd) {
  Kokkos::parallel_for(
      "pf::norm::rstd", Kokkos::RangePolicy<>(0, Index(var.extent(0))),
      KOKKOS_LAMBDA(Index k) { rstd(k) = T(1) / kmath::sqrt(var(k) + eps); });
}

// Running estimates as PyTorch keeps them: r ← (1−m) r + m·batch, the variance unbiased
// (× n/(n−1)). All [C]; count = values per channel.
template <class T>
void update_running_stats(const Kokkos::View<T*>& running_mean, const Kokkos::View<T*>& running_var,
                          const Kokkos::View<const T*>& mean, const Kokkos::View<const T*>& var,
                          T momentum, Index count) {
  const T unbias = count > 1 ? T(count) / T(count - 1) : T(1);
  Kokkos::parallel_for(
      "pf::batchnorm::running_update", Kokkos::RangePolicy<>(0, Index(mean.extent(0))),
      KOKKOS_LAMBDA(Index c) {
        running_mean(c) = (T(1) - momentum) * running_mean(c) + momentum * mean(c);
        running_var(c) = (T(1) - momentum) * running_var(c) + momentum * var(c) * unbias;
      });
}

}  // namespace pf::kern
