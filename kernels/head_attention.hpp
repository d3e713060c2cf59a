// Multi-head attention products on the layout a Linear layer produces, [B, S, H, e] (row
// (b, s), head h, width e), so that no head is ever permuted into a contiguous block. Each
// parallel index owns one output row, so every kernel is free of races.
#pragma once

#include "core/types.hpp"

#include <Kokkos_Core.hpp>

#include <type_traits>

namespace pf::kern {

struct HeadDims {
  Index b, s, t, h, e;  // batch, query rows, key rows, heads, head width
};

// Head widths the models use most get a compile-time width, so the per-row loops unroll and
// vectorise; any other width takes the runtime loop (W = 0).
template <class F>
void with_head_width(Index e, F&& f) {
  switch (e) {
    case 2:
      f(std::integral_constant<int, 2>{});
      break;
    case 4:
      f(std::integral_constant<int, 4>{});
      break;
    case 8:
      f(std::integral_constant<int, 8>{});
      break;
    case 16:
      f(std::integral_constant<int, 16>{});
      break;
    case 32:
      f(std::integral_constant<int, 32>{});
      break;
    default:
      f(std::integral_constant<int, 0>{});
  }
}

namespace detail {

// One head row of a weighted sum: out [B, R, H, e] (= or +=) scale · Σ_n w_n · y [B, N, H, e],
// the weights read from a [B, H, S, T] matrix along its row (R = S, N = T) or, transposed,
// down its column (R = T, N = S). Scale 1 is exact, so the unscaled sums share it.
template <class T, int W, bool Transposed, bool Accumulate>
struct HeadWeightedSum {
  Kokkos::View<const T*> w, y;
  Kokkos::View<T*> out;
  HeadDims d;
  T scale;

  KOKKOS_INLINE_FUNCTION void operator()(Index r) const {
    const Index e = W ? W : d.e;
    const Index rows = Transposed ? d.t : d.s, terms = Transposed ? d.s : d.t;
    const Index row_stride = Transposed ? 1 : d.t, term_stride = Transposed ? d.t : 1;
    const Index hh = r % d.h, bi = r / d.h, i = bi % rows, bb = bi / rows;
    const Index wo = (bb * d.h + hh) * d.s * d.t + i * row_stride;
    if constexpr (W > 0) {
      T acc[W] = {};
      for (Index n = 0; n < terms; ++n) {
        const T wn = w(wo + n * term_stride);
        const Index yo = ((bb * terms + n) * d.h + hh) * W;
        for (int c = 0; c < W; ++c)
          acc[c] += wn * y(yo + c);
      }
      for (int c = 0; c < W; ++c) {
        if constexpr (Accumulate)
          out(r * W + c) += acc[c] * scale;
        else
          out(r * W + c) = acc[c] * scale;
      }
    } else {
      if constexpr (!Accumulate)
        for (Index c = 0; c < e; ++c)
          out(r * e + c) = 0;
      for (Index n = 0; n < terms; ++n) {
        const T wn = w(wo + n * term_stride) * scale;
        const Index yo = ((bb * terms + n) * d.h + hh) * e;
        for (Index c = 0; c < e; ++c)
          out(r * e + c) += wn * y(yo + c);
      }
    }
  }
};

// Range: one index per (b, row, h) of out [B, R, H, e].
template <bool Transposed, bool Accumulate, class T>
void head_weighted_sum(const char* label, const Kokkos::View<const T*>& w,
                       const Kokkos::View<const T*>& y, const Kokkos::View<T*>& out, HeadDims d,
                       T scale) {
  const Index rows = Transposed ? d.t : d.s;
  with_head_width(d.e, [&](auto width) {
    constexpr int W = decltype(width)::value;
    Kokkos::parallel_for(label, Kokkos::RangePolicy<>(0, d.b * rows * d.h),
                         HeadWeightedSum<T, W, Transposed, Accumulate>{w, y, out, d, scale});
  });
}

}  // namespace detail

// scores [B, H, S, T] = scale · q [B, S, H, e] · k [B, T, H, e]ᵀ per head
template <class T>
void head_scores(const Kokkos::View<const T*>& q, const Kokkos::View<const T*>& k,
                 const Kokkos::View<T*>& out, HeadDims d, T scale) {
  with_head_width(d.e, [&](auto width) {
    constexpr int W = decltype(width)::value;
    Kokkos::parallel_for(
        "pf::head_attention::scores", Kokkos::RangePolicy<>(0, d.b * d.h * d.s),
        KOKKOS_LAMBDA(Index r) {
          const Index e = W ? W : d.e;
          const Index i = r % d.s, bh = r / d.s, hh = bh % d.h, bb = bh / d.h;
          const Index qo = ((bb * d.s + i) * d.h + hh) * e;
          for (Index j = 0; j < d.t; ++j) {
            const Index ko = ((bb * d.t + j) * d.h + hh) * e;
            T acc = 0;
            for (Index x = 0; x < e; ++x)
              acc += q(qo + x) * k(ko + x);
            out(r * d.t + j) = acc * scale;
          }
        });
  });
}

// gq [B, S, H, e] += scale · g [B, H, S, T] · k
template <class T>
void head_scores_grad_q(const Kokkos::View<const T*>& g, const Kokkos::View<const T*>& k,
                        const Kokkos::View<T*>& gq, HeadDims d, T scale) {
  detail::head_weighted_sum<false, true>("pf::head_attention::scores_grad_q", g, k, gq, d, scale);
}

// gk [B, T, H, e] += scale · gᵀ · q
template <class T>
void head_scores_grad_k(const Kokkos::View<const T*>& g, const Kokkos::View<const T*>& q,
                        const Kokkos::View<T*>& gk, HeadDims d, T scale) {
  detail::head_weighted_sum<true, true>("pf::head_attention::scores_grad_k", g, q, gk, d, scale);
}

// out [B, S, H, e] = a [B, H, S, T] · v [B, T, H, e] per head
template <class T>
void head_mix(const Kokkos::View<const T*>& a, const Kokkos::View<const T*>& v,
              const Kokkos::View<T*>& out, HeadDims d) {
  detail::head_weighted_sum<false, false>("pf::head_attention::mix", a, v, out, d, T(1));
}

// ga [B, H, S, T] += g [B, S, H, e] · vᵀ per head
template <class T>
void head_mix_grad_a(const Kokkos::View<const T*>& g, const Kokkos::View<const T*>& v,
                     const Kokkos::View<T*>& ga, HeadDims d) {
  with_head_width(d.e, [&](auto width) {
    constexpr int W = decltype(width)::value;
    Kokkos::parallel_for(
        "pf::head_attention::mix_grad_a", Kokkos::RangePolicy<>(0, d.b * d.h * d.s),
        KOKKOS_LAMBDA(Index r) {
          const Index e = W ? W : d.e;
          const Index i = r % d.s, bh = r / d.s, hh = bh % d.h, bb = bh / d.h;
          const Index go = ((bb * d.s + i) * d.h + hh) * e;
          for (Index j = 0; j < d.t; ++j) {
            const Index vo = ((bb * d.t + j) * d.h + hh) * e;
            T acc = 0;
            for (Index x = 0; x < e; ++x)
              acc += g(go + x) * v(vo + x);
            ga(r * d.t + j) += acc;
          }
        });
  });
}

// gv [B, T, H, e] += aᵀ · g per head
template <class T>
void head_mix_grad_v(const Kokkos::View<const T*>& a, const Kokkos::View<const T*>& g,
                     const Kokkos::View<T*>& gv, HeadDims d) {
  detail::head_weighted_sum<true, true>("pf::head_attention::mix_grad_v", a, g, gv, d, T(1));
}

}  // namespace pf::kern
