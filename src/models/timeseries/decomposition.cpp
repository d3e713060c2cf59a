#include "models/timeseries/decomposition.hpp"

#include "core/error.hpp"
#include "kernels/series.hpp"
#include "tensor/ops.hpp"

namespace pf::ts {

template <class T>
Tensor<T> moving_average(const Tensor<T>& x, Index kernel) {
  if (x.ndim() != 3 || x.dim(1) < 1 || kernel < 1)
    throw ShapeError("moving_average: x " + to_string(x.shape()) + ", kernel " +
                     std::to_string(kernel) + " (expected [B, L, C] with L ≥ 1 and kernel ≥ 1)");
  const Index b = x.dim(0), len = x.dim(1), c = x.dim(2);
  const Index front = moving_average_front_pad(kernel);
  Tensor<T> out = Tensor<T>::empty(x.shape());
  kern::moving_average_forward<T>(x.data(), out.data(), b, len, c, kernel, front);
  return record<T>("moving_average", out, {&x},
                   [b, len, c, kernel, front](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
                     kern::moving_average_backward<T>(g, gin[0], b, len, c, kernel, front);
                   });
}

template <class T>
Decomposition<T> series_decomp(const Tensor<T>& x, Index kernel) {
  Tensor<T> trend = moving_average(x, kernel);
  return {sub(x, trend), trend};
}

template Tensor<float> moving_average(const Tensor<float>&, Index);
template Tensor<double> moving_average(const Tensor<double>&, Index);
template Decomposition<float> series_decomp(const Tensor<float>&, Index);
template Decomposition<double> series_decomp(const Tensor<double>&, Index);

}  // namespace pf::ts
