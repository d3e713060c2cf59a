// FactFormer-2D (Li, Shu, Barati Farimani, NeurIPS 2023) as the reference code computes it:
// see /work/shared/models/factformer.md. Parameter names are the reference's state_dict keys,
// so weights trained with it load by name (postprocess/convert_torch_weights.py).
#pragma once

#include "core/rng.hpp"
#include "models/factformer/config.hpp"
#include "nn/layers.hpp"

#include <memory>
#include <vector>

namespace pf {

namespace factformer {
class Holder;
class FABlock;
class FourierEncoding;
class GegluFfn;
}  // namespace factformer

class FactFormer2D : public Module<float> {
 public:
  // PyTorch-default initialisation as the reference (axis kernels xavier with gain 0.02, latent
  // time embedding N(0, 0.02²)); _B ~ N(0, fourier_scale²) is a frozen buffer.
  FactFormer2D(const FactFormer2DConfig& config, Rng& rng);

  // u [B, X, Y, in_channels] → [B, latent_steps, X, Y, out_channels]; any grid size;
  // 1 <= latent_steps <= max_latent_steps.
  Tensor<float> forward(const Tensor<float>& u, Index latent_steps);

  const FactFormer2DConfig& config() const { return config_; }

 private:
  Tensor<float> decode(const Tensor<float>& z) const;  // [N, X, Y, L] → [N, X, Y, out]

  FactFormer2DConfig config_;
  std::shared_ptr<Linear<float>> to_in_, expand_latent_;
  std::vector<std::shared_ptr<factformer::FourierEncoding>> encodings_;
  std::vector<std::shared_ptr<factformer::FABlock>> blocks_;
  Tensor<float> latent_time_emb_;
  std::shared_ptr<LayerNorm<float>> prop_norm_;
  std::shared_ptr<Linear<float>> prop_in_, prop_out_;
  std::shared_ptr<GroupNorm<float>> dec_norm_;
  std::shared_ptr<PointwiseConv<float>> dec1_, dec2_, dec3_;
};

}  // namespace pf
