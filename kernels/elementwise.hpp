// Pointwise functions with their derivatives, and the launchers that apply them.
// Each unary functor gives f(x) and df/dx from x and y = f(x); kUsesOutput says which of the
// two backward needs, so the op saves only that one.
#pragma once

#include "kernels/fast_math.hpp"
#include "kernels/strided.hpp"

namespace pf::kern {

struct GeluErf {  // x Φ(x), Φ the normal CDF (PyTorch's default, approximate='none')
  static constexpr bool kUsesOutput = false;
  template <class T>
  KOKKOS_INLINE_FUNCTION static T f(T x) {
    return T(0.5) * x * (T(1) + kmath::fast_erf(x * T(0.70710678118654752440)));
  }
  template <class T>
  KOKKOS_INLINE_FUNCTION static T df(T x, T) {
    const T cdf = T(0.5) * (T(1) + kmath::fast_erf(x * T(0.70710678118654752440)));
    const T pdf = kmath::fast_exp(T(-0.5) * x * x) * T(0.39894228040143267794);
    return cdf + x * pdf;
  }
};

struct Sigmoid {
  static constexpr bool kUsesOutput = true;
  template <class T>
  KOKKOS_INLINE_FUNCTION static T f(T x) {
    return T(1) / (T(1) + kmath::fast_exp(-x));  // e^−x → ∞ gives 0, as it should
  }
  template <class T>
  KOKKOS_INLINE_FUNCTION static T df(T, T y) {
    return y * (T(1) - y);
  }
};

struct Silu {  // x σ(x)
  static constexpr bool kUsesOutput = false;
  template <class T>
  KOKKOS_INLINE_FUNCTION static T f(T x) {
    return x * Sigmoid::f(x);
  }
  template <class T>
  KOKKOS_INLINE_FUNCTION static T df(T x, T) {
    const T s = Sigmoid::f(x);
    return s * (T(1) + x * (T(1) - s));
  }
};

struct Softplus {  // log(1 + e^x), linear above 20 as in PyTorch (beta 1, threshold 20)
  static constexpr bool kUsesOutput = false;
  template <class T>
  KOKKOS_INLINE_FUNCTION static T f(T x) {
    return x > T(20) ? x : kmath::log1p(kmath::exp(x));
  }
  template <class T>
  KOKKOS_INLINE_FUNCTION static T df(T x, T) {
    return x > T(20) ? T(1) : Sigmoid::f(x);
  }
};

struct Tanh {
  static constexpr bool kUsesOutput = true;
  template <class T>
  KOKKOS_INLINE_FUNCTION static T f(T x) {
    return kmath::tanh(x);
  }
  template <class T>
  KOKKOS_INLINE_FUNCTION static T df(T, T y) {
    return T(1) - y * y;
  }
};

struct Relu {
  static constexpr bool kUsesOutput = true;
  template <class T>
  KOKKOS_INLINE_FUNCTION static T f(T x) {
    return x > T(0) ? x : T(0);
  }
  template <class T>
  KOKKOS_INLINE_FUNCTION static T df(T, T y) {
    return y > T(0) ? T(1) : T(0);
  }
};

struct Exp {
  static constexpr bool kUsesOutput = true;
  template <class T>
  KOKKOS_INLINE_FUNCTION static T f(T x) {
    return kmath::fast_exp(x);
  }
  template <class T>
  KOKKOS_INLINE_FUNCTION static T df(T, T y) {
    return y;
  }
};

struct Log {
  static constexpr bool kUsesOutput = false;
  template <class T>
  KOKKOS_INLINE_FUNCTION static T f(T x) {
    return kmath::log(x);
  }
  template <class T>
  KOKKOS_INLINE_FUNCTION static T df(T x, T) {
    return T(1) / x;
  }
};

struct Sqrt {
  static constexpr bool kUsesOutput = true;
  template <class T>
  KOKKOS_INLINE_FUNCTION static T f(T x) {
    return kmath::sqrt(x);
  }
  template <class T>
  KOKKOS_INLINE_FUNCTION static T df(T, T y) {
    return T(0.5) / y;
  }
};

struct Square {
  static constexpr bool kUsesOutput = false;
  template <class T>
  KOKKOS_INLINE_FUNCTION static T f(T x) {
    return x * x;
  }
  template <class T>
  KOKKOS_INLINE_FUNCTION static T df(T x, T) {
    return T(2) * x;
  }
};

struct Abs {
  static constexpr bool kUsesOutput = false;
  template <class T>
  KOKKOS_INLINE_FUNCTION static T f(T x) {
    return x < T(0) ? -x : x;
  }
  template <class T>
  KOKKOS_INLINE_FUNCTION static T df(T x, T) {
    return x > T(0) ? T(1) : (x < T(0) ? T(-1) : T(0));
  }
};

// Binary functors: f(a, b) and the partial derivatives ∂f/∂a, ∂f/∂b.
struct Add {
  template <class T>
  KOKKOS_INLINE_FUNCTION static T f(T a, T b) {
    return a + b;
  }
};
struct Sub {
  template <class T>
  KOKKOS_INLINE_FUNCTION static T f(T a, T b) {
    return a - b;
  }
};
struct Mul {
  template <class T>
  KOKKOS_INLINE_FUNCTION static T f(T a, T b) {
    return a * b;
  }
};
struct Div {
  template <class T>
  KOKKOS_INLINE_FUNCTION static T f(T a, T b) {
    return a / b;
  }
};

// y = F(x); x, y: [n]
template <class F, class T>
void unary_forward(const Kokkos::View<const T*>& x, const Kokkos::View<T*>& y) {
  Kokkos::parallel_for(
      "pf::elementwise::unary_forward", Kokkos::RangePolicy<>(0, Index(x.extent(0))),
      KOKKOS_LAMBDA(Index i) { y(i) = F::f(x(i)); });
}

// gx += gy * F'(x, y); saved is x or y as F::kUsesOutput says; all [n]
template <class F, class T>
void unary_backward(const Kokkos::View<const T*>& saved, const Kokkos::View<const T*>& gy,
                    const Kokkos::View<T*>& gx) {
  Kokkos::parallel_for(
      "pf::elementwise::unary_backward", Kokkos::RangePolicy<>(0, Index(gx.extent(0))),
      KOKKOS_LAMBDA(Index i) {
        const T s = saved(i);
        gx(i) += gy(i) * (F::kUsesOutput ? F::df(T(0), s) : F::df(s, T(0)));
      });
}

// out[i] = F(a[oa(i)], b[ob(i)]); out contiguous over map's box, map.a / map.b index a / b.
template <class F, class T>
void binary_forward(const Kokkos::View<const T*>& a, const Kokkos::View<const T*>& b,
                    const Kokkos::View<T*>& out, const StridedMap& map) {
  const Index n = out.extent(0);
  if (Index(a.extent(0)) == n && Index(b.extent(0)) == n) {
    Kokkos::parallel_for(
        "pf::elementwise::binary_same_shape", Kokkos::RangePolicy<>(0, n),
        KOKKOS_LAMBDA(Index i) { out(i) = F::f(a(i), b(i)); });
    return;
  }
  for_each_offset(
      "pf::elementwise::binary_broadcast", map,
      KOKKOS_LAMBDA(Index i, Index oa, Index ob) { out(i) = F::f(a(oa), b(ob)); });
}

// For out = a * b or a / b: the full-size partial gradient
//   grad_wrt_a[i] = g[i] * b[ob] (Mul) or g[i] / b[ob] (Div)
//   grad_wrt_b[i] = g[i] * a[oa] (Mul) or -g[i] a[oa] / b[ob]^2 (Div)
// written (or added, when accumulate) into `dst` (shape of out); summed down to the input's
// shape afterwards when that input was broadcast.
template <class T>
void product_partial(bool wrt_a, bool divide, const Kokkos::View<const T*>& a,
                     const Kokkos::View<const T*>& b, const Kokkos::View<const T*>& g,
                     const Kokkos::View<T*>& dst, const StridedMap& map, bool broadcast,
                     bool accumulate) {
  // Read only the operands this partial needs: the other may not have been saved.
  const auto partial = KOKKOS_LAMBDA(Index i, Index oa, Index ob) {
    T d;
    if (wrt_a)
      d = divide ? T(1) / b(ob) : b(ob);
    else
      d = divide ? -a(oa) / (b(ob) * b(ob)) : a(oa);
    dst(i) = (accumulate ? dst(i) : T(0)) + g(i) * d;
  };
  if (broadcast)
    for_each_offset("pf::elementwise::product_partial", map, partial);
  else
    Kokkos::parallel_for(
        "pf::elementwise::product_partial_same_shape", Kokkos::RangePolicy<>(0, Index(g.extent(0))),
        KOKKOS_LAMBDA(Index i) { partial(i, i, i); });
}

// y = alpha * x + beta; x, y: [n]
template <class T>
void affine_scalar(const Kokkos::View<const T*>& x, T alpha, T beta, const Kokkos::View<T*>& y) {
  Kokkos::parallel_for(
      "pf::elementwise::affine_scalar", Kokkos::RangePolicy<>(0, Index(x.extent(0))),
      KOKKOS_LAMBDA(Index i) { y(i) = alpha * x(i) + beta; });
}

// y = x^p; x, y: [n]
template <class T>
void power_scalar(const Kokkos::View<const T*>& x, T p, const Kokkos::View<T*>& y) {
  Kokkos::parallel_for(
      "pf::elementwise::power_scalar", Kokkos::RangePolicy<>(0, Index(x.extent(0))),
      KOKKOS_LAMBDA(Index i) { y(i) = kmath::pow(x(i), p); });
}

// gx += gy * p x^(p-1); all [n]
template <class T>
void power_scalar_backward(const Kokkos::View<const T*>& x, T p, const Kokkos::View<const T*>& gy,
                           const Kokkos::View<T*>& gx) {
  Kokkos::parallel_for(
      "pf::elementwise::power_scalar_backward", Kokkos::RangePolicy<>(0, Index(x.extent(0))),
      KOKKOS_LAMBDA(Index i) {
        // x⁰ is constant: its derivative is 0 even at x = 0, where p·x^(p−1) would be 0·∞.
        gx(i) += p == T(0) ? T(0) : gy(i) * p * kmath::pow(x(i), p - T(1));
      });
}

}  // namespace pf::kern
