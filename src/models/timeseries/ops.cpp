#include "models/timeseries/ops.hpp"

#include "core/error.hpp"
#include "kernels/gemm.hpp"
#include "kernels/series.hpp"
#include "tensor/ops.hpp"

namespace pf::ts {

template <class T>
Tensor<T> swap_leading_axes(const Tensor<T>& x) {
  if (x.ndim() != 3)
    throw ShapeError("swap_leading_axes: x " + to_string(x.shape()) + " is not 3-D");
  const Index a = x.dim(0), b = x.dim(1), c = x.dim(2);
  if (a == 1 || b == 1) return reshape(x, {b, a, c});  // same memory order: no copy
  Tensor<T> out = Tensor<T>::empty({b, a, c});
  kern::swap_leading_axes<T>(x.data(), out.data(), a, b, c, false);
  return record<T>("swap_leading_axes", out, {&x},
                   [a, b, c](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
                     kern::swap_leading_axes<T>(g, gin[0], b, a, c, true);
                   });
}

template <class T>
Tensor<T> time_linear(const Tensor<T>& xt, const Tensor<T>& weight, const Tensor<T>& bias) {
  // xt [L, N], weight [T, L], bias [T] -> [T, N]
  if (xt.ndim() != 2 || weight.ndim() != 2 || weight.dim(1) != xt.dim(0) || bias.ndim() != 1 ||
      bias.dim(0) != weight.dim(0))
    throw ShapeError("time_linear: xt " + to_string(xt.shape()) + ", weight " +
                     to_string(weight.shape()) + ", bias " + to_string(bias.shape()) +
                     " (expected [L, N], [T, L], [T])");
  const Index len = xt.dim(0), n = xt.dim(1), horizon = weight.dim(0);
  Tensor<T> out = Tensor<T>::empty({horizon, n});
  // The bias first, then the product accumulated onto it (β = 1): no separate pass.
  kern::fill_row_bias<T>(out.data(), bias.data(), horizon, n);
  kern::gemm<T>({false, false, horizon, n, len, 0, 0, 0, 1}, T(1), weight.data().data(),
                xt.data().data(), T(1), out.data().data());
  if (!any_requires_grad<T>({&xt, &weight, &bias})) return out;
  const Vec<T> x = weight.requires_grad() ? xt.data() : Vec<T>();
  const Vec<T> w = xt.requires_grad() ? weight.data() : Vec<T>();
  return record<T>("time_linear", out, {&xt, &weight, &bias},
                   [x, w, len, n, horizon](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
                     if (gin[0].extent(0))  // dxt [L, N] += Wᵀ g
                       kern::gemm<T>({true, false, len, n, horizon, 0, 0, 0, 1}, T(1), w.data(),
                                     g.data(), T(1), gin[0].data());
                     if (gin[1].extent(0))  // dW [T, L] += g xtᵀ
                       kern::gemm<T>({false, true, horizon, len, n, 0, 0, 0, 1}, T(1), g.data(),
                                     x.data(), T(1), gin[1].data());
                     if (gin[2].extent(0)) kern::row_sums<T>(g, gin[2], horizon, n);
                   });
}

template <class T>
Tensor<T> shift_rows(const Tensor<T>& x, const Tensor<T>& v, T sign) {
  if (x.ndim() != 2 || v.numel() != x.dim(1))
    throw ShapeError("shift_rows: x " + to_string(x.shape()) + ", v " + to_string(v.shape()) +
                     " (expected [R, N] and N values)");
  const Index rows = x.dim(0), n = x.dim(1);
  Tensor<T> out = Tensor<T>::empty(x.shape());
  kern::add_row_vector<T>(x.data(), v.data(), out.data(), rows, n, sign);
  return record<T>("shift_rows", out, {&x}, [](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
    const Vec<T> gx = gin[0];
    Kokkos::parallel_for(
        "pf::series::shift_rows_grad", Kokkos::RangePolicy<>(0, Index(g.extent(0))),
        KOKKOS_LAMBDA(Index i) { gx(i) += g(i); });
  });
}

#define PF_TS_OPS(T)                                                                    \
  template Tensor<T> swap_leading_axes(const Tensor<T>&);                               \
  template Tensor<T> time_linear(const Tensor<T>&, const Tensor<T>&, const Tensor<T>&); \
  template Tensor<T> shift_rows(const Tensor<T>&, const Tensor<T>&, T);
PF_TS_OPS(float)
PF_TS_OPS(double)

}  // namespace pf::ts
