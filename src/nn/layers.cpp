#include "nn/layers.hpp"

#include "core/error.hpp"
#include "kernels/elementwise.hpp"
#include "nn/init.hpp"

#include <cmath>

namespace pf {

template <class T>
Linear<T>::Linear(Index in, Index out, bool has_bias, Rng& rng) {
  const double bound = 1.0 / std::sqrt(double(in));
  weight = this->register_parameter("weight", init::uniform<T>({out, in}, bound, rng));
  if (has_bias) bias = this->register_parameter("bias", init::uniform<T>({out}, bound, rng));
}

template <class T>
LayerNorm<T>::LayerNorm(Index dim, double eps, bool affine) : eps_(eps) {
  if (affine) {
    weight = this->register_parameter("weight", init::ones<T>({dim}));
    bias = this->register_parameter("bias", init::zeros<T>({dim}));
  }
}

template <class T>
GroupNorm<T>::GroupNorm(Index groups, Index channels, double eps, bool affine)
    : groups_(groups), eps_(eps) {
  if (groups < 1 || channels % groups != 0)
    throw ShapeError("GroupNorm: " + std::to_string(channels) + " channels do not split into " +
                     std::to_string(groups) + " groups");
  if (affine) {
    weight = this->register_parameter("weight", init::ones<T>({channels}));
    bias = this->register_parameter("bias", init::zeros<T>({channels}));
  }
}

template <class T>
BatchNorm<T>::BatchNorm(Index channels, double eps, double momentum, bool affine)
    : eps_(eps), momentum_(momentum) {
  if (affine) {
    weight = this->register_parameter("weight", init::ones<T>({channels}));
    bias = this->register_parameter("bias", init::zeros<T>({channels}));
  }
  running_mean = this->register_buffer("running_mean", init::zeros<T>({channels}));
  running_var = this->register_buffer("running_var", init::ones<T>({channels}));
  num_batches_tracked = this->register_buffer("num_batches_tracked", init::zeros<T>({}));
}

template <class T>
Tensor<T> BatchNorm<T>::forward(const Tensor<T>& x) {
  if (this->training()) {
    NoGradGuard no_grad;
    kern::affine_scalar<T>(num_batches_tracked.data(), T(1), T(1), num_batches_tracked.data());
  }
  return batch_norm(x, running_mean, running_var, weight, bias, this->training(), T(momentum_),
                    T(eps_));
}

template <class T>
Embedding<T>::Embedding(Index num, Index dim, Rng& rng) {
  weight = this->register_parameter("weight", init::normal<T>({num, dim}, 0.0, 1.0, rng));
}

template <class T>
PointwiseConv<T>::PointwiseConv(Index in, Index out, int spatial_dims, Index groups, bool has_bias,
                                Rng& rng)
    : groups_(groups) {
  if (groups < 1 || in % groups != 0 || out % groups != 0)
    throw ShapeError("PointwiseConv: channels " + std::to_string(in) + " → " + std::to_string(out) +
                     " do not split into " + std::to_string(groups) + " groups");
  Shape shape = {out, in / groups};
  shape.insert(shape.end(), spatial_dims, 1);
  const double bound = 1.0 / std::sqrt(double(in / groups));  // fan_in = in/groups × kernel (1)
  weight = this->register_parameter("weight", init::uniform<T>(shape, bound, rng));
  if (has_bias) bias = this->register_parameter("bias", init::uniform<T>({out}, bound, rng));
}

Activation parse_activation(const std::string& name) {
  if (name == "gelu") return Activation::Gelu;
  if (name == "silu") return Activation::Silu;
  if (name == "tanh") return Activation::Tanh;
  if (name == "relu") return Activation::Relu;
  throw InputError("activation: expected one of gelu, silu, tanh, relu; found \"" + name + "\"");
}

template <class T>
Tensor<T> activate(Activation a, const Tensor<T>& x) {
  switch (a) {
    case Activation::Gelu:
      return gelu(x);
    case Activation::Silu:
      return silu(x);
    case Activation::Tanh:
      return tanh(x);
    case Activation::Relu:
      return relu(x);
  }
  return x;
}

template <class T>
Mlp<T>::Mlp(const std::vector<Index>& widths, Activation activation, Rng& rng)
    : activation_(activation) {
  if (widths.size() < 2) throw ShapeError("Mlp: needs at least input and output widths");
  for (size_t i = 0; i + 1 < widths.size(); ++i)
    layers_.push_back(
        this->register_module("layers." + std::to_string(2 * i),
                              std::make_shared<Linear<T>>(widths[i], widths[i + 1], true, rng)));
}

template <class T>
Tensor<T> Mlp<T>::forward(const Tensor<T>& x) const {
  // x: [..., widths.front()] → [..., widths.back()]
  Tensor<T> h = x;
  for (size_t i = 0; i < layers_.size(); ++i) {
    h = layers_[i]->forward(h);
    if (i + 1 < layers_.size()) h = activate(activation_, h);
  }
  return h;
}

#define PF_INSTANTIATE(T)          \
  template class Linear<T>;        \
  template class LayerNorm<T>;     \
  template class GroupNorm<T>;     \
  template class BatchNorm<T>;     \
  template class Embedding<T>;     \
  template class PointwiseConv<T>; \
  template class Mlp<T>;           \
  template Tensor<T> activate<T>(Activation, const Tensor<T>&);
PF_INSTANTIATE(float)
PF_INSTANTIATE(double)
#undef PF_INSTANTIATE

}  // namespace pf
