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
  with_head_width(d.e, [&](auto width) {
    constexpr int W = decltype(width)::value;
    Kokkos::parallel_for(
        "pf::head_attention::scores_grad_q", Kokkos::RangePolicy<>(0, d.b * d.s * d.h),
        KOKKOS_LAMBDA(Index r) {
          const Index e = W ? W : d.e;
          const Index hh = r % d.h, bi = r / d.h, i = bi % d.s, bb = bi / d.s;
          const Index go = ((bb * d.h + hh) * d.s + i) * d.t;
          if constexpr (W > 0) {
            T acc[W] = {};
            for (Index j = 0; j < d.t; ++j) {
              const T w = g(go + j);
              const Index ko = ((bb * d.t + j) * d.h + hh) * W;
              for (int x = 0; x < W; ++x)
                acc[x] += w * k(ko + x);
            }
            for (int x = 0; x < W; ++x)
              gq(r * W + x) += acc[x] * scale;
          } else {
            for (Index j = 0; j < d.t; ++j) {
              const T w = g(go + j) * scale;
              const Index ko = ((bb * d.t + j) * d.h + hh) * e;
              for (Index x = 0; x < e; ++x)
                gq(r * e + x) += w * k(ko + x);
            }
          }
        });
  });
}

// gk [B, T, H, e] += scale · gᵀ · q
template <class T>
void head_scores_grad_k(const Kokkos::View<const T*>& g, const Kokkos::View<const T*>& q,
                        const Kokkos::View<T*>& gk, HeadDims d, T scale) {
  with_head_width(d.e, [&](auto width) {
    constexpr int W = decltype(width)::value;
    Kokkos::parallel_for(
        "pf::head_attention::scores_grad_k", Kokkos::RangePolicy<>(0, d.b * d.t * d.h),
        KOKKOS_LAMBDA(Index r) {
          const Index e = W ? W : d.e;
          const Index hh = r % d.h, bj = r / d.h, j = bj % d.t, bb = bj / d.t;
          if constexpr (W > 0) {
            T acc[W] = {};
            for (Index i = 0; i < d.s; ++i) {
              const T w = g(((bb * d.h + hh) * d.s + i) * d.t + j);
              const Index qo = ((bb * d.s + i) * d.h + hh) * W;
              for (int x = 0; x < W; ++x)
                acc[x] += w * q(qo + x);
            }
            for (int x = 0; x < W; ++x)
              gk(r * W + x) += acc[x] * scale;
          } else {
            for (Index i = 0; i < d.s; ++i) {
              const T w = g(((bb * d.h + hh) * d.s + i) * d.t + j) * scale;
              const Index qo = ((bb * d.s + i) * d.h + hh) * e;
              for (Index x = 0; x < e; ++x)
                gk(r * e + x) += w * q(qo + x);
            }
          }
        });
  });
}

// out [B, S, H, e] = a [B, H, S, T] · v [B, T, H, e] per head
template <class T>
void head_mix(const Kokkos::View<const T*>& a, const Kokkos::View<const T*>& v,
              const Kokkos::View<T*>& out, HeadDims d) {
  with_head_width(d.e, [&](auto width) {
    constexpr int W = decltype(width)::value;
    Kokkos::parallel_for(
        "pf::head_attention::mix", Kokkos::RangePolicy<>(0, d.b * d.s * d.h),
        KOKKOS_LAMBDA(Index r) {
          const Index e = W ? W : d.e;
          const Index hh = r % d.h, bi = r / d.h, i = bi % d.s, bb = bi / d.s;
          const Index ao = ((bb * d.h + hh) * d.s + i) * d.t;
          if constexpr (W > 0) {
            T acc[W] = {};
            for (Index j = 0; j < d.t; ++j) {
              const T w = a(ao + j);
              const Index vo = ((bb * d.t + j) * d.h + hh) * W;
              for (int x = 0; x < W; ++x)
                acc[x] += w * v(vo + x);
            }
            for (int x = 0; x < W; ++x)
              out(r * W + x) = acc[x];
          } else {
            for (Index x = 0; x < e; ++x)
              out(r * e + x) = 0;
            for (Index j = 0; j < d.t; ++j) {
              const T w = a(ao + j);
              const Index vo = ((bb * d.t + j) * d.h + hh) * e;
              for (Index x = 0; x < e; ++x)
                out(r * e + x) += w * v(vo + x);
            }
          }
        });
  });
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
  with_head_width(d.e, [&](auto width) {
    constexpr int W = decltype(width)::value;
    Kokkos::parallel_for(
        "pf::head_attention::mix_grad_v", Kokkos::RangePolicy<>(0, d.b * d.t * d.h),
        KOKKOS_LAMBDA(Index r) {
          const Index e = W ? W : d.e;
          const Index hh = r % d.h, bj = r / d.h, j = bj % d.t, bb = bj / d.t;
          if constexpr (W > 0) {
            T acc[W] = {};
            for (Index i = 0; i < d.s; ++i) {
              const T w = a(((bb * d.h + hh) * d.s + i) * d.t + j);
              const Index go = ((bb * d.s + i) * d.h + hh) * W;
              for (int x = 0; x < W; ++x)
                acc[x] += w * g(go + x);
            }
            for (int x = 0; x < W; ++x)
              gv(r * W + x) += acc[x];
          } else {
            for (Index i = 0; i < d.s; ++i) {
              const T w = a(((bb * d.h + hh) * d.s + i) * d.t + j);
              const Index go = ((bb * d.s + i) * d.h + hh) * e;
              for (Index x = 0; x < e; ++x)
                gv(r * e + x) += w * g(go + x);
            }
          }
        });
  });
}

}  // namespace pf::kern
