// Broadcasting arithmetic and pointwise functions.
#include "kernels/elementwise.hpp"
#include "tensor/detail/shape_util.hpp"
#include "tensor/ops.hpp"

namespace pf {

Shape broadcast_shape(const Shape& a, const Shape& b) {
  const size_t n = std::max(a.size(), b.size());
  Shape out(n);
  for (size_t i = 0; i < n; ++i) {
    const Index da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    const Index db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    if (da != db && da != 1 && db != 1)
      throw ShapeError("broadcast: shapes " + to_string(a) + " and " + to_string(b) +
                       " do not broadcast (axis " + std::to_string(i) + ": " + std::to_string(da) +
                       " vs " + std::to_string(db) + ")");
    out[i] = std::max(da, db);
  }
  return out;
}

namespace {

// Adds alpha·full (shape `from`) into dst (shape `to`), summing over broadcast axes.
template <class T>
void accumulate_to_shape(const Vec<T>& full, const Shape& from, const Shape& to, const Vec<T>& dst,
                         T alpha) {
  if (numel(from) == numel(to)) {
    kern::axpy<T>(alpha, full, dst);
    return;
  }
  kern::sum_reduce<T>(full, dst, detail::sum_to_plan(from, to), alpha, true);
}

template <class T, class F>
Tensor<T> additive(const char* name, const Tensor<T>& a, const Tensor<T>& b, T sign_b) {
  const Shape out_shape = broadcast_shape(a.shape(), b.shape());
  const kern::StridedMap map = detail::broadcast_map(out_shape, a.shape(), b.shape());
  Tensor<T> out = Tensor<T>::empty(out_shape);
  kern::binary_forward<F, T>(a.data(), b.data(), out.data(), map);
  const Shape sa = a.shape(), sb = b.shape();
  return record<T>(name, out, {&a, &b},
                   [sa, sb, out_shape, sign_b](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
                     if (gin[0].extent(0)) accumulate_to_shape<T>(g, out_shape, sa, gin[0], T(1));
                     if (gin[1].extent(0)) accumulate_to_shape<T>(g, out_shape, sb, gin[1], sign_b);
                   });
}

template <class T, class F>
Tensor<T> multiplicative(const char* name, const Tensor<T>& a, const Tensor<T>& b, bool divide) {
  const Shape out_shape = broadcast_shape(a.shape(), b.shape());
  const kern::StridedMap map = detail::broadcast_map(out_shape, a.shape(), b.shape());
  Tensor<T> out = Tensor<T>::empty(out_shape);
  kern::binary_forward<F, T>(a.data(), b.data(), out.data(), map);
  if (!any_requires_grad<T>({&a, &b})) return out;
  const Shape sa = a.shape(), sb = b.shape();
  // ∂/∂a reads b; ∂/∂b reads a (and b for a quotient): save only those.
  const Vec<T> va = b.requires_grad() ? a.data() : Vec<T>();
  const Vec<T> vb = a.requires_grad() || divide ? b.data() : Vec<T>();
  const bool broadcast = sa != out_shape || sb != out_shape;
  return record<T>(name, out, {&a, &b}, [=](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
    const Index n = numel(out_shape);
    for (int i = 0; i < 2; ++i) {
      if (!gin[i].extent(0)) continue;
      const Shape& si = i == 0 ? sa : sb;
      if (numel(si) == n) {
        kern::product_partial<T>(i == 0, divide, va, vb, g, gin[i], map, broadcast, true);
      } else {
        Vec<T> tmp(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::mul::partial"), n);
        kern::product_partial<T>(i == 0, divide, va, vb, g, tmp, map, broadcast, false);
        accumulate_to_shape<T>(tmp, out_shape, si, gin[i], T(1));
      }
    }
  });
}

template <class F, class T>
Tensor<T> unary(const char* name, const Tensor<T>& x) {
  Tensor<T> out = Tensor<T>::empty(x.shape());
  kern::unary_forward<F, T>(x.data(), out.data());
  if (!any_requires_grad<T>({&x})) return out;
  // Save the input or the output, whichever the derivative is written in.
  const Vec<T> saved = F::kUsesOutput ? out.data() : x.data();
  return record<T>(name, out, {&x}, [saved](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
    kern::unary_backward<F, T>(saved, g, gin[0]);
  });
}

}  // namespace

template <class T>
Tensor<T> add(const Tensor<T>& a, const Tensor<T>& b) {
  return additive<T, kern::Add>("add", a, b, T(1));
}
template <class T>
Tensor<T> sub(const Tensor<T>& a, const Tensor<T>& b) {
  return additive<T, kern::Sub>("sub", a, b, T(-1));
}
template <class T>
Tensor<T> mul(const Tensor<T>& a, const Tensor<T>& b) {
  return multiplicative<T, kern::Mul>("mul", a, b, false);
}
template <class T>
Tensor<T> div(const Tensor<T>& a, const Tensor<T>& b) {
  return multiplicative<T, kern::Div>("div", a, b, true);
}

template <class T>
Tensor<T> affine(const Tensor<T>& x, T alpha, T beta) {
  Tensor<T> out = Tensor<T>::empty(x.shape());
  kern::affine_scalar<T>(x.data(), alpha, beta, out.data());
  return record<T>("affine", out, {&x}, [alpha](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
    kern::axpy<T>(alpha, g, gin[0]);
  });
}

template <class T>
Tensor<T> pow(const Tensor<T>& x, T p) {
  Tensor<T> out = Tensor<T>::empty(x.shape());
  kern::power_scalar<T>(x.data(), p, out.data());
  if (!any_requires_grad<T>({&x})) return out;
  const Vec<T> xs = x.data();
  return record<T>("pow", out, {&x}, [xs, p](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
    kern::power_scalar_backward<T>(xs, p, g, gin[0]);
  });
}

template <class T>
Tensor<T> gelu(const Tensor<T>& x) {
  return unary<kern::GeluErf>("gelu", x);
}
template <class T>
Tensor<T> silu(const Tensor<T>& x) {
  return unary<kern::Silu>("silu", x);
}
template <class T>
Tensor<T> softplus(const Tensor<T>& x) {
  return unary<kern::Softplus>("softplus", x);
}
template <class T>
Tensor<T> sigmoid(const Tensor<T>& x) {
  return unary<kern::Sigmoid>("sigmoid", x);
}
template <class T>
Tensor<T> tanh(const Tensor<T>& x) {
  return unary<kern::Tanh>("tanh", x);
}
template <class T>
Tensor<T> relu(const Tensor<T>& x) {
  return unary<kern::Relu>("relu", x);
}
template <class T>
Tensor<T> exp(const Tensor<T>& x) {
  return unary<kern::Exp>("exp", x);
}
template <class T>
Tensor<T> log(const Tensor<T>& x) {
  return unary<kern::Log>("log", x);
}
template <class T>
Tensor<T> sqrt(const Tensor<T>& x) {
  return unary<kern::Sqrt>("sqrt", x);
}
template <class T>
Tensor<T> square(const Tensor<T>& x) {
  return unary<kern::Square>("square", x);
}
template <class T>
Tensor<T> abs(const Tensor<T>& x) {
  return unary<kern::Abs>("abs", x);
}

#define PF_INSTANTIATE(T)                                     \
  template Tensor<T> add(const Tensor<T>&, const Tensor<T>&); \
  template Tensor<T> sub(const Tensor<T>&, const Tensor<T>&); \
  template Tensor<T> mul(const Tensor<T>&, const Tensor<T>&); \
  template Tensor<T> div(const Tensor<T>&, const Tensor<T>&); \
  template Tensor<T> affine(const Tensor<T>&, T, T);          \
  template Tensor<T> pow(const Tensor<T>&, T);                \
  template Tensor<T> gelu(const Tensor<T>&);                  \
  template Tensor<T> silu(const Tensor<T>&);                  \
  template Tensor<T> softplus(const Tensor<T>&);              \
  template Tensor<T> sigmoid(const Tensor<T>&);               \
  template Tensor<T> tanh(const Tensor<T>&);                  \
  template Tensor<T> relu(const Tensor<T>&);                  \
  template Tensor<T> exp(const Tensor<T>&);                   \
  template Tensor<T> log(const Tensor<T>&);                   \
  template Tensor<T> sqrt(const Tensor<T>&);                  \
  template Tensor<T> square(const Tensor<T>&);                \
  template Tensor<T> abs(const Tensor<T>&);
PF_INSTANTIATE(float)
PF_INSTANTIATE(double)
#undef PF_INSTANTIATE

}  // namespace pf
