// Standard layers as Modules, with PyTorch's parameter names, shapes and default initialisation.
#pragma once

#include "core/rng.hpp"
#include "nn/module.hpp"
#include "tensor/ops.hpp"

#include <string>
#include <vector>

namespace pf {

// y = x Wᵀ + b; x: [..., in] → [..., out]. weight [out, in], bias [out].
template <class T>
class Linear : public Module<T> {
 public:
  Linear(Index in, Index out, bool bias, Rng& rng);
  Tensor<T> forward(const Tensor<T>& x) const { return linear(x, weight, bias); }
  Tensor<T> weight, bias;
};

// Normalises the last axis; weight, bias [dim] (ones, zeros).
template <class T>
class LayerNorm : public Module<T> {
 public:
  explicit LayerNorm(Index dim, double eps = 1e-5, bool affine = true);
  Tensor<T> forward(const Tensor<T>& x) const { return layer_norm(x, weight, bias, T(eps_)); }
  Tensor<T> weight, bias;

 private:
  double eps_;
};

// x: [N, C, *]; weight, bias [C].
template <class T>
class GroupNorm : public Module<T> {
 public:
  GroupNorm(Index groups, Index channels, double eps = 1e-5, bool affine = true);
  Tensor<T> forward(const Tensor<T>& x) const {
    return group_norm(x, groups_, weight, bias, T(eps_));
  }
  Tensor<T> weight, bias;

 private:
  Index groups_;
  double eps_;
};

// x: [N, C, *]; batch statistics while training, running ones in eval. Buffers running_mean,
// running_var, num_batches_tracked (int64 in PyTorch; stored as a count here).
template <class T>
class BatchNorm : public Module<T> {
 public:
  explicit BatchNorm(Index channels, double eps = 1e-5, double momentum = 0.1, bool affine = true);
  Tensor<T> forward(const Tensor<T>& x);
  Tensor<T> weight, bias, running_mean, running_var, num_batches_tracked;

 private:
  double eps_, momentum_;
};

// Rows of weight [num, dim] picked by an index; N(0, 1) initialised.
template <class T>
class Embedding : public Module<T> {
 public:
  Embedding(Index num, Index dim, Rng& rng);
  Tensor<T> forward(const IndexVec& idx, const Shape& idx_shape) const {
    return embedding(idx, idx_shape, weight);
  }
  Tensor<T> weight;
};

// Pointwise convolution (kernel size 1 in `spatial_dims` dims), channels first; weight
// [out, in/groups, 1, ...] as torch.nn.ConvNd stores it.
template <class T>
class PointwiseConv : public Module<T> {
 public:
  PointwiseConv(Index in, Index out, int spatial_dims, Index groups, bool bias, Rng& rng);
  Tensor<T> forward(const Tensor<T>& x) const { return conv1x1(x, weight, bias, groups_); }
  Tensor<T> weight, bias;

 private:
  Index groups_;
};

enum class Activation { Gelu, Silu, Tanh, Relu };
Activation parse_activation(const std::string& name);  // "gelu", "silu", "tanh", "relu"
template <class T>
Tensor<T> activate(Activation a, const Tensor<T>& x);

// Linear layers with an activation between them: widths {in, h1, ..., out}. Named "layers.<i>"
// like an nn.Sequential whose activations sit at odd indices.
template <class T>
class Mlp : public Module<T> {
 public:
  Mlp(const std::vector<Index>& widths, Activation activation, Rng& rng);
  Tensor<T> forward(const Tensor<T>& x) const;

 private:
  std::vector<std::shared_ptr<Linear<T>>> layers_;
  Activation activation_;
};

}  // namespace pf
