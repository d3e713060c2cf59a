// Parameter initialisers with PyTorch's defaults, drawn on the host from our seeded Rng so a
// model is the same on every backend and rank.
#pragma once

#include "core/rng.hpp"
#include "tensor/tensor.hpp"

namespace pf::init {

// U(−bound, bound). PyTorch's default for Linear/Conv weights (kaiming_uniform with a = √5) and
// biases is bound = 1/√fan_in.
template <class T>
Tensor<T> uniform(const Shape& shape, double bound, Rng& rng);
template <class T>
Tensor<T> normal(const Shape& shape, double mean, double stddev, Rng& rng);
template <class T>
Tensor<T> zeros(const Shape& shape) {
  return Tensor<T>::zeros(shape);
}
template <class T>
Tensor<T> ones(const Shape& shape) {
  return Tensor<T>::full(shape, T(1));
}

}  // namespace pf::init
