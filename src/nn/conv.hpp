// Convolution-network layers for channels-last 3-D fields, with PyTorch's parameter names,
// layouts and default initialisation.
#pragma once

#include "core/rng.hpp"
#include "nn/module.hpp"
#include "tensor/ops_conv.hpp"

namespace pf {

// torch.nn.Conv3d(in, out, kernel, stride, padding, bias) on channels-last input:
// x [B, X, Y, Z, in] → [B, X', Y', Z', out]; weight [out, in, k, k, k], bias [out].
template <class T>
class Conv3d : public Module<T> {
 public:
  Conv3d(Index in, Index out, Index kernel, Index stride, Index padding, bool bias, Rng& rng);
  Tensor<T> forward(const Tensor<T>& x) const { return conv3d(x, weight, bias, stride_, padding_); }
  Tensor<T> weight, bias;

 private:
  Index stride_, padding_;
};

// torch.nn.InstanceNorm{1,2,3}d(affine=False) on channels-last input [B, S..., C]: no
// parameters, no running statistics.
template <class T>
class InstanceNorm : public Module<T> {
 public:
  explicit InstanceNorm(double eps = 1e-5) : eps_(eps) {}
  Tensor<T> forward(const Tensor<T>& x) const { return instance_norm(x, T(eps_)); }

 private:
  double eps_;
};

}  // namespace pf
