#include "nn/init.hpp"

namespace pf::init {

template <class T>
Tensor<T> uniform(const Shape& shape, double bound, Rng& rng) {
  std::vector<T> v(numel(shape));
  for (auto& x : v)
    x = T(rng.uniform(-bound, bound));
  return Tensor<T>::from_host(shape, v);
}

template <class T>
Tensor<T> normal(const Shape& shape, double mean, double stddev, Rng& rng) {
  std::vector<T> v(numel(shape));
  for (auto& x : v)
    x = T(rng.normal(mean, stddev));
  return Tensor<T>::from_host(shape, v);
}

template Tensor<float> uniform<float>(const Shape&, double, Rng&);
template Tensor<double> uniform<double>(const Shape&, double, Rng&);
template Tensor<float> normal<float>(const Shape&, double, double, Rng&);
template Tensor<double> normal<double>(const Shape&, double, double, Rng&);

}  // namespace pf::init
