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
                 const Kokkos::View<T*>& m, const Kokkos::View<T*>& v, const AdamStep& s) {
  const T b1 = T(s.beta1), b2 = T(s.beta2), eps = T(s.eps);
  const T step_size = T(s.lr / s.bias_correction1);
  const T bc2_sqrt = T(kmath::sqrt(s.bias_correction2));
  // Both decay styles as factors, so the loop body has no branch and vectorises:
  // AdamW shrinks the weight (p ← p (1 − lr·wd)); Adam adds wd·p to the gradient.
  const T shrink = s.decoupled ? T(1 - s.lr * s.weight_decay) : T(1);
  const T l2 = s.decoupled ? T(0) : T(s.weight_decay);
  Kokkos::parallel_for(
      "pf::optim::adam_update", Kokkos::RangePolicy<>(0, Index(p.extent(0))),
      KOKKOS_LAMBDA(Index i) {
        const T p0 = p(i);
        const T grad = g(i) + l2 * p0;
        const T mi = b1 * m(i) + (T(1) - b1) * grad;
        const T vi = b2 * v(i) + (T(1) - b2) * grad * grad;
        m(i) = mi;
        v(i) = vi;
        p(i) = p0 * shrink - step_size * mi / (kmath::sqrt(vi) / bc2_sqrt + eps);
      });
}

}  // namespace pf::kern
