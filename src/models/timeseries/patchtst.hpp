// PatchTST (supervised; Nie et al. 2023, yuqinie98/PatchTST) as its reference code computes it:
// RevIN, end-padding and patching, a shared patch projection with a learned positional
// encoding, a post-norm Transformer encoder with BatchNorm over d_model and residual attention
// scores, and a flatten head. Specification: shared/models/timeseries.md §1b; state_dict keys
// are the reference's (model.backbone..., model.head..., model.revin_layer...).
#pragma once

#include "config/deck.hpp"
#include "core/rng.hpp"
#include "models/timeseries/forecaster.hpp"
#include "models/timeseries/revin.hpp"
#include "models/timeseries/ts_ops.hpp"
#include "nn/layers.hpp"

#include <memory>
#include <vector>

namespace pf::ts {

struct PatchTSTConfig {
  ForecastShape shape;
  Index e_layers = 3;
  Index n_heads = 4;
  Index d_model = 16;
  Index d_ff = 128;
  double dropout = 0.3;
  double head_dropout = 0.0;
  Index patch_len = 16;
  Index stride = 8;
  bool padding_end = true;  // padding_patch = "end"
  bool revin = true;
  bool affine = false;
  bool subtract_last = false;
  bool individual = false;

  Index patch_num() const {
    return (shape.seq_len - patch_len) / stride + 1 + (padding_end ? 1 : 0);
  }
};

// Options model.patchtst.* (run_longExp.py names; defaults are the ETTh1 script's).
void add_patchtst_options(DeckSchema& schema);
// Reads and validates them; InputError names the deck, the key, what was expected and found.
PatchTSTConfig patchtst_config(const Deck& deck, const ForecastShape& shape);

class PatchTST : public Forecaster {
 public:
  PatchTST(const PatchTSTConfig& config, Rng& rng);
  Tensor<float> forward(const Tensor<float>& x) override;
  const char* name() const override { return "patchtst"; }
  const PatchTSTConfig& config() const { return cfg_; }

 private:
  struct EncoderLayer : Module<float> {
    EncoderLayer(const PatchTSTConfig& c, Rng& rng);
    std::shared_ptr<Linear<float>> W_Q, W_K, W_V, to_out, ff0, ff3;
    std::shared_ptr<BatchNorm<float>> norm_attn, norm_ffn;
  };
  // u [B·C, N, d] → same; `scores` holds the previous layer's pre-softmax scores (residual
  // attention) and receives this layer's.
  Tensor<float> encoder_layer(EncoderLayer& l, const Tensor<float>& u, Tensor<float>& scores);
  Tensor<float> drop(const Tensor<float>& x, double p) {
    return dropout(x, p, training(), drop_rng_);
  }

  PatchTSTConfig cfg_;
  Rng drop_rng_;
  std::shared_ptr<RevIN> revin_;
  std::shared_ptr<Linear<float>> W_P_;
  Tensor<float> W_pos_;
  std::vector<std::shared_ptr<EncoderLayer>> layers_;
  std::vector<std::shared_ptr<Linear<float>>> heads_;  // one shared, or one per channel
};

}  // namespace pf::ts
