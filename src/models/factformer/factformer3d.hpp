// FactFormer-3D (Li, Shu, Barati Farimani, NeurIPS 2023) as the reference code computes it
// (BaratiLab/FactFormer, examples/threed_smokesim_fact_lm.py): see
// /work/shared/models/factformer.md, 3D part. Parameter names are the reference's state_dict
// keys, so weights trained with it load by name (postprocess/convert_torch_weights.py).
#pragma once

#include "core/rng.hpp"
#include "models/factformer/config3d.hpp"
#include "nn/conv.hpp"
#include "nn/layers.hpp"

#include <memory>
#include <vector>

namespace pf {

namespace factformer {
class FABlock;
class FourierEncoding;
class ParameterSet;
}  // namespace factformer

class FactFormer3D : public Module<float> {
 public:
  // PyTorch-default initialisation as the reference (axis kernels xavier with gain 0.02, latent
  // time embedding N(0, 0.02²)); _B ~ N(0, fourier_scale²) is a frozen buffer.
  FactFormer3D(const FactFormer3DConfig& config, Rng& rng);

  // u [B, in_steps, X, Y, Z, in_fields] (a window of frames, channels last)
  //   → [B, latent_steps, X, Y, Z, out_fields]; 1 <= latent_steps <= max_latent_steps.
  // X, Y and Z must be even: the block after the encoder halves the grid with a stride-2
  // convolution and doubles it again by nearest upsampling (as in the reference).
  Tensor<float> forward(const Tensor<float>& u, Index latent_steps);

  const FactFormer3DConfig& config() const { return config_; }

 private:
  Tensor<float> decode(const Tensor<float>& z) const;  // [N, X, Y, Z, L] → [N, X, Y, Z, out]

  FactFormer3DConfig config_;
  std::shared_ptr<factformer::ParameterSet> in_conv1_, in_conv2_;
  std::vector<std::shared_ptr<factformer::FourierEncoding>> encodings_;
  std::vector<std::shared_ptr<factformer::FABlock>> blocks_;
  std::shared_ptr<Conv3d<float>> down1_, down2_, up1_, up2_;
  std::shared_ptr<Linear<float>> expand_latent_;
  Tensor<float> latent_time_emb_;
  std::shared_ptr<LayerNorm<float>> prop_norm_;
  std::shared_ptr<Linear<float>> prop_in_, prop_out_;
  std::shared_ptr<GroupNorm<float>> dec_norm_;
  std::shared_ptr<PointwiseConv<float>> dec1_, dec2_, dec3_;
};

}  // namespace pf
