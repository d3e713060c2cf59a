// Series decomposition shared by the time-series models: a moving average along time with
// replicate padding (DLinear's trend, Pathformer's multi-kernel trend).
#pragma once

#include "tensor/tensor.hpp"

namespace pf::ts {

// Rows of x[0] repeated in front of the series for a window of `kernel` rows. The reference
// (cure-lab's series_decomp) pads (k−1)/2 on both sides, which only works for odd k; for any k
// we pad ⌈(k−1)/2⌉ in front and ⌊(k−1)/2⌋ at the end (Pathformer's rule), so the trend keeps the
// series' length and odd kernels are unchanged.
inline Index moving_average_front_pad(Index kernel) {
  return kernel - 1 - (kernel - 1) / 2;
}

// x [B, L, C] -> trend [B, L, C]: mean of `kernel` consecutive rows of the replicate-padded
// series (AvgPool1d with stride 1 over the padded time axis). Differentiable.
template <class T>
Tensor<T> moving_average(const Tensor<T>& x, Index kernel);

// x = seasonal + trend.
template <class T>
struct Decomposition {
  Tensor<T> seasonal, trend;
};

template <class T>
Decomposition<T> series_decomp(const Tensor<T>& x, Index kernel);

}  // namespace pf::ts
