// Finite-difference gradient checks in fp64 and small helpers shared by the op tests.
#pragma once

#include "core/rng.hpp"
#include "tensor/ops.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

namespace pf::test {

// A tensor of the shape filled with uniform values in [lo, hi) from a fixed stream.
template <class T = double>
Tensor<T> random_tensor(const Shape& shape, std::uint64_t seed, double lo = -1, double hi = 1) {
  Rng rng(seed);
  std::vector<T> v(numel(shape));
  for (auto& x : v)
    x = T(rng.uniform(lo, hi));
  return Tensor<T>::from_host(shape, v);
}

inline void set_element(const Tensord& t, Index i, double value) {
  Kokkos::deep_copy(Kokkos::subview(t.data(), i), value);
}

inline double get_element(const Vec<double>& v, Index i) {
  double x;
  Kokkos::View<double, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>> h(&x);
  Kokkos::deep_copy(h, Kokkos::subview(v, i));
  return x;
}

struct GradTolerance {
  // Central differences with step h have truncation error O(h² f''') and rounding error
  // O(ε |f| / h); with h = 1e-6 in fp64 both stay below ~1e-9 for the O(1) test functions,
  // so 1e-6 absolute plus 1e-5 relative leaves two orders of magnitude of margin.
  double h = 1e-6;
  double atol = 1e-6;
  double rtol = 1e-5;
};

// Compares the autodiff gradient of L = Σ w ⊙ f(inputs) (w random and fixed) with central
// differences, for every element of every input that requires a gradient.
inline void expect_gradients_match(const std::function<Tensord(const std::vector<Tensord>&)>& f,
                                   std::vector<Tensord> inputs, GradTolerance tol = {}) {
  const Tensord probe = [&] {
    NoGradGuard no_grad;
    return f(inputs);
  }();
  const Tensord weights = random_tensor(probe.shape(), 977, 0.5, 1.5);
  auto loss_of = [&](const std::vector<Tensord>& in) { return sum_all(mul(f(in), weights)); };

  for (auto& t : inputs)
    t.zero_grad();
  loss_of(inputs).backward();

  for (size_t k = 0; k < inputs.size(); ++k) {
    if (!inputs[k].requires_grad()) continue;
    const Vec<double> grad = inputs[k].grad();
    ASSERT_EQ(Index(grad.extent(0)), inputs[k].numel()) << "input " << k << " got no gradient";
    for (Index i = 0; i < inputs[k].numel(); ++i) {
      const double x0 = get_element(inputs[k].data(), i);
      double plus, minus;
      {
        NoGradGuard no_grad;
        set_element(inputs[k], i, x0 + tol.h);
        plus = loss_of(inputs).item();
        set_element(inputs[k], i, x0 - tol.h);
        minus = loss_of(inputs).item();
        set_element(inputs[k], i, x0);
      }
      const double numeric = (plus - minus) / (2 * tol.h);
      const double analytic = get_element(grad, i);
      ASSERT_NEAR(analytic, numeric, tol.atol + tol.rtol * std::abs(numeric))
          << "input " << k << ", element " << i;
    }
  }
}

// Leaf tensor requiring a gradient.
inline Tensord param(const Shape& shape, std::uint64_t seed, double lo = -1, double hi = 1) {
  Tensord t = random_tensor<double>(shape, seed, lo, hi);
  t.set_requires_grad(true);
  return t;
}

template <class T>
void expect_all_near(const std::vector<T>& got, const std::vector<T>& want, double tol,
                     const std::string& what = "") {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); ++i)
    ASSERT_NEAR(double(got[i]), double(want[i]), tol * (1 + std::abs(double(want[i]))))
        << what << " element " << i;
}

}  // namespace pf::test
