// The building blocks of FactFormer-2D and -3D as Modules named like the reference's state_dict.
#pragma once

#include "models/factformer/config.hpp"
#include "models/factformer/config3d.hpp"
#include "nn/layers.hpp"

#include <memory>
#include <string>
#include <vector>

namespace pf::factformer {

// What the encoder's layers need of a model's configuration; `axes` is 2 or 3.
struct LayerSpec {
  Index axes, dim, heads, dim_head, kernel_dim;
  double kernel_scale;
  Index fourier_features;
  double fourier_scale;
};
LayerSpec layer_spec(const FactFormer2DConfig& c);
LayerSpec layer_spec(const FactFormer3DConfig& c);

// Grid coordinates per axis, as the models pass them to their layers.
using AxisCoordinates = std::vector<std::vector<float>>;

// A module that only names its children (torch's Sequential/ModuleList levels and wrappers).
class Holder : public Module<float> {
 public:
  template <class M>
  std::shared_ptr<M> add(const std::string& name, std::shared_ptr<M> module) {
    return register_module(name, std::move(module));
  }
};

// LayerNorm then Linear(C→2C) → GeGLU → Linear(C→C): the reference's PreNorm(MLP(GeAct)) as
// "norm", "fn.net.0", "fn.net.3".
class GegluFfn : public Holder {
 public:
  GegluFfn(Index dim, Rng& rng);
  Tensor<float> forward(const Tensor<float>& x) const;  // [..., C] → [..., C]

 private:
  std::shared_ptr<LayerNorm<float>> norm_;
  std::shared_ptr<Linear<float>> in_, out_;
};

// Axis sub-function: to_in (C→C, no bias) applied to the pooled mean, then the GeGLU FFN.
// The reference projects every grid point before averaging; projection and mean commute, so
// averaging first gives the same function at 1/n of the cost.
class PoolingReducer : public Holder {
 public:
  PoolingReducer(Index dim, Rng& rng);
  Tensor<float> forward(const Tensor<float>& pooled) const;  // [B, n, C] → [B, n, C]
  Tensor<float> to_in_weight() const { return to_in_->weight; }

 private:
  std::shared_ptr<Linear<float>> to_in_;
  std::shared_ptr<GegluFfn> ffn_;
};

// Low-rank axis kernel: q, k = u W_q, u W_k (C→H·Dk, no bias, xavier gain 0.02 as the
// reference), rotary embedding on both, K = q kᵀ · scale. Buffer pos_emb.inv_freq [Dk/2].
class AxisKernel : public Holder {
 public:
  AxisKernel(const LayerSpec& spec, Rng& rng);
  // u [B, n, C], coordinates p (n values) → [B, H, n, n]
  Tensor<float> forward(const Tensor<float>& u, const std::vector<float>& p) const;

 private:
  Index heads_;
  float scale_;
  std::shared_ptr<Linear<float>> to_q_, to_k_;
  Tensor<float> inv_freq_;
};

// Factorized attention block over 2 or 3 axes, the reference's FABlock2D / FABlock3D (no
// residual inside; the encoder adds it).
class FABlock : public Holder {
 public:
  FABlock(const LayerSpec& spec, Rng& rng);
  // u [B, X, Y(, Z), C], coordinates per axis → [B, X, Y(, Z), C]
  Tensor<float> forward(const Tensor<float>& u, const AxisCoordinates& p) const;

 private:
  std::shared_ptr<LayerNorm<float>> in_norm_;
  std::shared_ptr<Linear<float>> to_v_, to_in_, out1_, out3_;
  std::vector<std::shared_ptr<PoolingReducer>> reducers_;  // per axis
  std::vector<std::shared_ptr<AxisKernel>> kernels_;       // per axis
};

// Gaussian Fourier features of the grid followed by Linear(2F→C), added to the residual stream:
// "0._B", "1.weight", "1.bias".
class FourierEncoding : public Holder {
 public:
  FourierEncoding(const LayerSpec& spec, Rng& rng);
  // u [B, X, Y(, Z), C] → u + encoding (the same for every sample)
  Tensor<float> forward(const Tensor<float>& u, const AxisCoordinates& p) const;

 private:
  Tensor<float> b_;
  std::shared_ptr<Linear<float>> proj_;
};

}  // namespace pf::factformer
