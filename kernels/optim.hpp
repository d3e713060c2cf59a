// Optimizer update kernels: one fused pass per parameter tensor.
#pragma once

#include "kernels/compat.hpp"
#include "kernels/strided.hpp"

namespace pf::kern {

struct AdamStep {
  double lr, beta1, beta2, eps;
  double weight_decay;  // L2 added to the gradient (Adam) or decoupled (AdamW)
  bool decoupled;
  double bias_correction1, bias_correction2;  // 1 − βᵗ
};

// p, g, m, v: [n] (one parameter tensor and its moment estimates), updated in place.
// Same arithmetic as torch.optim.Adam/AdamW (non-amsgrad, non-foreach).
template <class T>
void adam_update(const Kokkos::View<T*>& p, const Kokkos::View<const T*>& g,
                 const Kokkos::View<T*>& m, const Kokkos::View<T*>& v, const AdamStep& s,
                 T grad_scale) {
  const T lr = T(s.lr), b1 = T(s.beta1), b2 = T(s.beta2), eps = T(s.eps), wd = T(s.weight_decay);
  const T step_size = T(s.lr / s.bias_correction1);
  const T bc2_sqrt = T(kmath::sqrt(s.bias_correction2));
  const bool decoupled = s.decoupled;
  Kokkos::parallel_for(
      "pf::optim::adam_update", Kokkos::RangePolicy<>(0, Index(p.extent(0))),
      KOKKOS_LAMBDA(Index i) {
        T grad = g(i) * grad_scale;
        T param = p(i);
        if (decoupled)
          param *= T(1) - lr * wd;
        else
          grad += wd * param;
        const T mi = b1 * m(i) + (T(1) - b1) * grad;
        const T vi = b2 * v(i) + (T(1) - b2) * grad * grad;
        m(i) = mi;
        v(i) = vi;
        p(i) = param - step_size * mi / (kmath::sqrt(vi) / bc2_sqrt + eps);
      });
}

// Number of non-finite values in x: [n]
template <class T>
Index count_non_finite(const Kokkos::View<const T*>& x) {
  Index bad = 0;
  Kokkos::parallel_reduce(
      "pf::optim::count_non_finite", Kokkos::RangePolicy<>(0, Index(x.extent(0))),
      KOKKOS_LAMBDA(Index i, Index & acc) { acc += kmath::isfinite(x(i)) ? 0 : 1; }, bad);
  return bad;
}

}  // namespace pf::kern
