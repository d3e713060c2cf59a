// Kernels of FactFormer's fused ops: the domain-wise group norm (statistics over a whole grid per
// sample and head) and the axis pooling means. Reductions over a domain are split into chunks of
// points whose partial sums (fp64) are combined afterwards, so every stage is a flat parallel loop.
#pragma once

#include "kernels/compat.hpp"

namespace pf::kern {

using Index = std::int64_t;

// Points per partial sum: enough work per iteration on a host core, enough iterations on a GPU.
inline constexpr Index kDomainChunk = 256;

// Lanes of the per-point partial sums: independent accumulators the compiler can vectorise
// (fp32 adds may not be reordered otherwise).
inline constexpr int kLanes = 8;

// Per (b, g, chunk): partial Σa' and Σa'·b of one group's D channels over a chunk of points,
// a' = a · scale[channel] (scale empty: a' = a); each point's D values are summed in fp32 lanes,
// points in fp64. a, b: [B, P, G·D]; scale: [G·D] or empty; partial: [B·G·chunks, 2].
// With only_b, only_g ≥ 0 just that (sample, group)'s partial sums are computed (e.g. right after
// the group was written, while it is still in cache).
template <class T>
void domain_partial_sums(const Kokkos::View<const T*>& a, const Kokkos::View<const T*>& b,
                         const Kokkos::View<double*>& partial, Index B, Index P, Index G, Index D,
                         const Kokkos::View<const T*>& scale = {}, Index only_b = -1,
                         Index only_g = -1) {
  const bool scaled = scale.extent(0) > 0, one = only_b >= 0 && only_g >= 0;
  const Index chunks = (P + kDomainChunk - 1) / kDomainChunk;
  const Index D8 = D / kLanes * kLanes;
  const Index first = one ? (only_b * G + only_g) * chunks : 0;
  Kokkos::parallel_for(
      "pf::factformer::domain_partial_sums",
      Kokkos::RangePolicy<>(first, one ? first + chunks : B * G * chunks), KOKKOS_LAMBDA(Index r) {
        const Index chunk = r % chunks, bg = r / chunks, g = bg % G, bi = bg / G;
        const Index p0 = chunk * kDomainChunk;
        const Index p1 = kmath::min(P, p0 + kDomainChunk);
        double s = 0, sp = 0;
        // The scaled and plain loops are written out separately: a branch inside the lane loop
        // would keep the compiler from vectorising it.
        for (Index p = p0; p < p1; ++p) {
          const Index o = (bi * P + p) * G * D + g * D;
          T ls[kLanes] = {}, lp[kLanes] = {};
          if (scaled) {
            for (Index d = 0; d < D8; d += kLanes)
              for (int l = 0; l < kLanes; ++l) {
                const T x = a(o + d + l) * scale(g * D + d + l);
                ls[l] += x;
                lp[l] += x * b(o + d + l);
              }
            for (Index d = D8; d < D; ++d) {
              const T x = a(o + d) * scale(g * D + d);
              ls[0] += x;
              lp[0] += x * b(o + d);
            }
          } else {
            for (Index d = 0; d < D8; d += kLanes)
              for (int l = 0; l < kLanes; ++l) {
                const T x = a(o + d + l);
                ls[l] += x;
                lp[l] += x * b(o + d + l);
              }
            for (Index d = D8; d < D; ++d) {
              ls[0] += a(o + d);
              lp[0] += a(o + d) * b(o + d);
            }
          }
          for (int l = 0; l < kLanes; ++l) {
            s += double(ls[l]);
            sp += double(lp[l]);
          }
        }
        partial(2 * r) = s;
        partial(2 * r + 1) = sp;
      });
}

// Group statistics from partial sums of x and x²: mean and 1/sqrt(var + eps), the variance
// unbiased (÷ (n − 1)) or biased (÷ n).
// partial: [B·G·chunks, 2]; mean, rstd: [B·G]. n = P·D values per group.
template <class T>
void domain_stats(const Kokkos::View<const double*>& partial, const Kokkos::View<T*>& mean,
                  const Kokkos::View<T*>& rstd, Index BG, Index chunks, Index n, double eps,
                  bool unbiased) {
  const double denom = unbiased ? double(n - 1) : double(n);
  Kokkos::parallel_for(
      "pf::factformer::domain_stats", Kokkos::RangePolicy<>(0, BG), KOKKOS_LAMBDA(Index bg) {
        double s = 0, ss = 0;
        for (Index c = 0; c < chunks; ++c) {
          s += partial(2 * (bg * chunks + c));
          ss += partial(2 * (bg * chunks + c) + 1);
        }
        const double m = s / double(n);
        // Σ(x − m)² = Σx² − n m²
        const double var = denom > 0 ? kmath::max(0.0, (ss - double(n) * m * m) / denom) : 0.0;
        mean(bg) = T(m);
        rstd(bg) = T(1.0 / kmath::sqrt(var + eps));
      });
}

// y = (x − mean) · rstd per (b, g). x, y: [B, P, G·D]; mean, rstd: [B·G].
template <class T>
void domain_normalize(const Kokkos::View<const T*>& x, const Kokkos::View<const T*>& mean,
                      const Kokkos::View<const T*>& rstd, const Kokkos::View<T*>& y, Index B,
                      Index P, Index G, Index D) {
  Kokkos::parallel_for(
      "pf::factformer::domain_normalize", Kokkos::RangePolicy<>(0, B * P), KOKKOS_LAMBDA(Index r) {
        const Index b0 = (r / P) * G, o = r * G * D;
        for (Index g = 0; g < G; ++g) {
          const T m = mean(b0 + g), rs = rstd(b0 + g);
          for (Index d = 0; d < D; ++d)
            y(o + g * D + d) = (x(o + g * D + d) - m) * rs;
        }
      });
}

// The norm's backward coefficients per (b, g) from partial sums of gy and gy·y:
// coef [B·G, 2] = (Σgy / n, Σ(gy·y) / n'), n' = n − 1 for the unbiased variance, n otherwise.
template <class T>
Kokkos::View<T*> domain_backward_coefficients(const Kokkos::View<const double*>& partial, Index BG,
                                              Index chunks, Index n, bool unbiased) {
  const double denom = unbiased ? double(n - 1) : double(n);
  Kokkos::View<T*> coef(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::factformer::coef"),
                        2 * BG);
  Kokkos::parallel_for(
      "pf::factformer::domain_backward_coef", Kokkos::RangePolicy<>(0, BG),
      KOKKOS_LAMBDA(Index bg) {
        double s = 0, sp = 0;
        for (Index c = 0; c < chunks; ++c) {
          s += partial(2 * (bg * chunks + c));
          sp += partial(2 * (bg * chunks + c) + 1);
        }
        coef(2 * bg) = T(s / double(n));
        coef(2 * bg + 1) = denom > 0 ? T(sp / denom) : T(0);
      });
  return coef;
}

// gx += rstd (gy − Σgy / n − y Σ(gy·y) / n'), the norm's input gradient, n' = n − 1 for the
// unbiased variance and n for the biased one; gy = gz · scale[channel] when scale is given (the
// gradient through a per-channel affine).
// partial: domain_partial_sums of (gz, y, scale); y, gz, gx: [B, P, G·D]; rstd: [B·G].
template <class T>
void domain_normalize_backward(const Kokkos::View<const T*>& y, const Kokkos::View<const T*>& gz,
                               const Kokkos::View<const double*>& partial,
                               const Kokkos::View<const T*>& rstd, const Kokkos::View<T*>& gx,
                               Index B, Index P, Index G, Index D, Index chunks, bool unbiased,
                               const Kokkos::View<const T*>& scale = {}) {
  const bool scaled = scale.extent(0) > 0;
  const Kokkos::View<T*> coef =
      domain_backward_coefficients<T>(partial, B * G, chunks, P * D, unbiased);
  Kokkos::parallel_for(
      "pf::factformer::domain_normalize_backward", Kokkos::RangePolicy<>(0, B * P),
      KOKKOS_LAMBDA(Index r) {
        const Index b0 = (r / P) * G, o = r * G * D;
        for (Index g = 0; g < G; ++g) {
          const T rs = rstd(b0 + g), c0 = coef(2 * (b0 + g)), c1 = coef(2 * (b0 + g) + 1);
          const Index o_g = o + g * D;
          if (scaled) {
            for (Index d = 0; d < D; ++d)
              gx(o_g + d) += rs * (gz(o_g + d) * scale(g * D + d) - c0 - y(o_g + d) * c1);
          } else {
            for (Index d = 0; d < D; ++d)
              gx(o_g + d) += rs * (gz(o_g + d) - c0 - y(o_g + d) * c1);
          }
        }
      });
}

// One (sample, group)'s input gradient of the norm, gathered into a contiguous block:
// dst[p, d] = rstd (gy − c0 − y c1) at (b, p, g, d), with c0 = Σgy/n and c1 = Σgy·y/n' from
// domain_normalize_backward's coefficients (coef [B·G, 2]). y, gy: [B, P, G·D]; dst: [P, D].
template <class T>
void domain_backward_block(const Kokkos::View<const T*>& y, const Kokkos::View<const T*>& gy,
                           const Kokkos::View<const T*>& coef, const Kokkos::View<const T*>& rstd,
                           const Kokkos::View<T*>& dst, Index b, Index g, Index P, Index G,
                           Index D) {
  const Index bg = b * G + g;
  Kokkos::parallel_for(
      "pf::factformer::domain_backward_block", Kokkos::RangePolicy<>(0, P), KOKKOS_LAMBDA(Index p) {
        const T rs = rstd(bg), c0 = coef(2 * bg), c1 = coef(2 * bg + 1);
        const Index o = (b * P + p) * G * D + g * D;
        for (Index d = 0; d < D; ++d)
          dst(p * D + d) = rs * (gy(o + d) - c0 - y(o + d) * c1);
      });
}

// out[b, i] = e[i] + u[b, i] for every sample b, where e is held in out's first sample (the
// shared encoding written there first). u, out: [B, n].
template <class T>
void add_shared_rows(const Kokkos::View<const T*>& u, const Kokkos::View<T*>& out, Index B,
                     Index n) {
  Kokkos::parallel_for(
      "pf::factformer::add_shared_rows", Kokkos::RangePolicy<>(0, n), KOKKOS_LAMBDA(Index i) {
        const T e = out(i);
        for (Index b = 0; b < B; ++b)
          out(b * n + i) = e + u(b * n + i);
      });
}

// Rotary embedding per head, halves rotated: out = x cos + rotate_half(x) sin with
// rotate_half([a, b]) = [−b, a]. x, out: [R, n, H·Dk] (R leading rows); cos, sin: [n, Dk].
template <class T>
void rotary_forward(const Kokkos::View<const T*>& x, const Kokkos::View<const T*>& cos,
                    const Kokkos::View<const T*>& sin, const Kokkos::View<T*>& out, Index R,
                    Index n, Index H, Index Dk) {
  const Index half = Dk / 2;
  Kokkos::parallel_for(
      "pf::factformer::rotary_forward", Kokkos::RangePolicy<>(0, R * n * H),
      KOKKOS_LAMBDA(Index r) {
        const Index i = (r / H) % n, o = r * Dk, t = i * Dk;
        for (Index j = 0; j < half; ++j) {
          const T a = x(o + j), b = x(o + half + j);
          out(o + j) = a * cos(t + j) - b * sin(t + j);
          out(o + half + j) = b * cos(t + half + j) + a * sin(t + half + j);
        }
      });
}

// gx += the adjoint rotation of g: for each pair (a, b) = (j, j + Dk/2),
// ga = g_a cos_a + g_b sin_b, gb = g_b cos_b − g_a sin_a. Shapes as rotary_forward.
template <class T>
void rotary_backward(const Kokkos::View<const T*>& g, const Kokkos::View<const T*>& cos,
                     const Kokkos::View<const T*>& sin, const Kokkos::View<T*>& gx, Index R,
                     Index n, Index H, Index Dk) {
  const Index half = Dk / 2;
  Kokkos::parallel_for(
      "pf::factformer::rotary_backward", Kokkos::RangePolicy<>(0, R * n * H),
      KOKKOS_LAMBDA(Index r) {
        const Index i = (r / H) % n, o = r * Dk, t = i * Dk;
        for (Index j = 0; j < half; ++j) {
          const T ga = g(o + j), gb = g(o + half + j);
          gx(o + j) += ga * cos(t + j) + gb * sin(t + half + j);
          gx(o + half + j) += gb * cos(t + half + j) - ga * sin(t + j);
        }
      });
}

// z = y · w[channel] + b[channel]; y, z: [M, N]; w, b: [N]
template <class T>
void channel_affine(const Kokkos::View<const T*>& y, const Kokkos::View<const T*>& w,
                    const Kokkos::View<const T*>& b, const Kokkos::View<T*>& z, Index M, Index N) {
  Kokkos::parallel_for(
      "pf::factformer::channel_affine", Kokkos::RangePolicy<>(0, M), KOKKOS_LAMBDA(Index r) {
        for (Index j = 0; j < N; ++j)
          z(r * N + j) = y(r * N + j) * w(j) + b(j);
      });
}

// Axis means of x [B, X, Y, Z, C] (Z = 1 for a 2D grid): out [B, X + Y (+ Z), C], rows 0..X−1
// the means over (y, z) of each x, rows X..X+Y−1 the means over (x, z) of each y and, with
// z_rows, rows X+Y..X+Y+Z−1 the means over (x, y) of each z.
template <class T>
void axis_means(const Kokkos::View<const T*>& x, const Kokkos::View<T*>& out, Index B, Index X,
                Index Y, Index Z, Index C, bool z_rows) {
  const Index R = X + Y + (z_rows ? Z : 0), YZ = Y * Z;
  Kokkos::parallel_for(
      "pf::factformer::mean_over_yz", Kokkos::RangePolicy<>(0, B * X), KOKKOS_LAMBDA(Index r) {
        // the (y, z) plane of one x is contiguous
        const Index o = r * YZ * C, b = r / X, i = r % X, row = (b * R + i) * C;
        for (Index c = 0; c < C; ++c)
          out(row + c) = T(0);
        for (Index j = 0; j < YZ; ++j)
          for (Index c = 0; c < C; ++c)
            out(row + c) += x(o + j * C + c);
        for (Index c = 0; c < C; ++c)
          out(row + c) /= T(YZ);
      });
  Kokkos::parallel_for(
      "pf::factformer::mean_over_xz", Kokkos::RangePolicy<>(0, B * Y), KOKKOS_LAMBDA(Index r) {
        const Index b = r / Y, j = r % Y, row = (b * R + X + j) * C;
        for (Index c = 0; c < C; ++c)
          out(row + c) = T(0);
        for (Index i = 0; i < X; ++i) {
          // the z line of one (x, y) is contiguous
          const Index o = ((b * X + i) * Y + j) * Z * C;
          for (Index k = 0; k < Z * C; k += C)
            for (Index c = 0; c < C; ++c)
              out(row + c) += x(o + k + c);
        }
        for (Index c = 0; c < C; ++c)
          out(row + c) /= T(X * Z);
      });
  if (!z_rows) return;
  Kokkos::parallel_for(
      "pf::factformer::mean_over_xy", Kokkos::RangePolicy<>(0, B * Z), KOKKOS_LAMBDA(Index r) {
        const Index b = r / Z, k = r % Z, row = (b * R + X + Y + k) * C;
        for (Index c = 0; c < C; ++c)
          out(row + c) = T(0);
        for (Index p = 0; p < X * Y; ++p) {
          const Index o = ((b * X * Y + p) * Z + k) * C;
          for (Index c = 0; c < C; ++c)
            out(row + c) += x(o + c);
        }
        for (Index c = 0; c < C; ++c)
          out(row + c) /= T(X * Y);
      });
}

// The adjoint of axis_means: gx[b, i, j, k, c] += g[b, i, c] / (Y·Z) + g[b, X + j, c] / (X·Z)
// (+ g[b, X + Y + k, c] / (X·Y) with z_rows); g: [B, R, C] as axis_means' out, gx: [B, X, Y, Z, C].
template <class T>
void axis_means_backward(const Kokkos::View<const T*>& g, const Kokkos::View<T*>& gx, Index B,
                         Index X, Index Y, Index Z, Index C, bool z_rows) {
  const Index R = X + Y + (z_rows ? Z : 0);
  const T iyz = T(1) / T(Y * Z), ixz = T(1) / T(X * Z), ixy = T(1) / T(X * Y);
  Kokkos::parallel_for(
      "pf::factformer::axis_means_backward", Kokkos::RangePolicy<>(0, B * X * Y * Z),
      KOKKOS_LAMBDA(Index r) {
        const Index k = r % Z, j = (r / Z) % Y, i = (r / (Y * Z)) % X, b = r / (X * Y * Z);
        const Index gxr = (b * R + i) * C, gyr = (b * R + X + j) * C, gzr = (b * R + X + Y + k) * C;
        if (z_rows) {
          for (Index c = 0; c < C; ++c)
            gx(r * C + c) += g(gxr + c) * iyz + g(gyr + c) * ixz + g(gzr + c) * ixy;
        } else {
          for (Index c = 0; c < C; ++c)
            gx(r * C + c) += g(gxr + c) * iyz + g(gyr + c) * ixz;
        }
      });
}

// out[j] += Σ_r g[r, j] (· y[r, j] when y is given); g, y: [M, N]. Row chunks sum into partial
// rows first, so the loops run along rows (contiguous) and in parallel over chunks.
template <class T>
void column_sums_add(const Kokkos::View<const T*>& g, const Kokkos::View<T*>& out, Index M, Index N,
                     const Kokkos::View<const T*>& y = {}) {
  const bool product = y.extent(0) > 0;
  const Index chunks = (M + kDomainChunk - 1) / kDomainChunk;
  Kokkos::View<T*> partial(
      Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::factformer::column_partial"),
      chunks * N);
  Kokkos::parallel_for(
      "pf::factformer::column_partial_sums", Kokkos::RangePolicy<>(0, chunks),
      KOKKOS_LAMBDA(Index k) {
        for (Index j = 0; j < N; ++j)
          partial(k * N + j) = T(0);
        const Index r1 = kmath::min(M, (k + 1) * kDomainChunk);
        for (Index r = k * kDomainChunk; r < r1; ++r)
          for (Index j = 0; j < N; ++j)
            partial(k * N + j) += product ? g(r * N + j) * y(r * N + j) : g(r * N + j);
      });
  Kokkos::parallel_for(
      "pf::factformer::column_sums", Kokkos::RangePolicy<>(0, N), KOKKOS_LAMBDA(Index j) {
        T acc = T(0);
        for (Index k = 0; k < chunks; ++k)
          acc += partial(k * N + j);
        out(j) += acc;
      });
}

}  // namespace pf::kern
