// The building blocks of FactFormer-2D as Modules named like the reference's state_dict.
#pragma once

#include "models/factformer/config.hpp"
#include "nn/layers.hpp"

#include <memory>
#include <string>
#include <vector>

namespace pf::factformer {

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
  AxisKernel(const FactFormer2DConfig& config, Rng& rng);
  // u [B, n, C], coordinates p (n values) → [B, H, n, n]
  Tensor<float> forward(const Tensor<float>& u, const std::vector<float>& p) const;

 private:
  Index heads_;
  float scale_;
  std::shared_ptr<Linear<float>> to_q_, to_k_;
  Tensor<float> inv_freq_;
};

// Factorized attention block (no residual inside; the encoder adds it).
class FABlock2D : public Holder {
 public:
  FABlock2D(const FactFormer2DConfig& config, Rng& rng);
  // u [B, X, Y, C], coordinates px (X), py (Y) → [B, X, Y, C]
  Tensor<float> forward(const Tensor<float>& u, const std::vector<float>& px,
                        const std::vector<float>& py) const;

 private:
  Index heads_;
  std::shared_ptr<LayerNorm<float>> in_norm_;
  std::shared_ptr<Linear<float>> to_v_, to_in_, out1_, out3_;
  std::shared_ptr<PoolingReducer> reduce_x_, reduce_y_;
  std::shared_ptr<AxisKernel> kernel_x_, kernel_y_;
};

// Gaussian Fourier features of the grid followed by Linear(2F→C), added to the residual stream:
// "0._B", "1.weight", "1.bias".
class FourierEncoding : public Holder {
 public:
  FourierEncoding(const FactFormer2DConfig& config, Rng& rng);
  // u [B, X, Y, C] → u + encoding (the same for every sample)
  Tensor<float> forward(const Tensor<float>& u, const std::vector<float>& px,
                        const std::vector<float>& py) const;

 private:
  Tensor<float> b_;
  std::shared_ptr<Linear<float>> proj_;
};

}  // namespace pf::factformer
