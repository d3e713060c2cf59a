// One Pathformer expert (the reference's Transformer_Layer) for a patch size p: intra-patch
// attention (a learned query per patch attending to its p values through per-channel generated
// weights), inter-patch attention (patches as tokens of width D·p, D heads), their sum with the
// input, and a residual feed-forward block. Specification: shared/models/timeseries.md §1c.
#pragma once

#include "core/rng.hpp"
#include "models/timeseries/pathformer_config.hpp"
#include "nn/layers.hpp"

#include <memory>
#include <vector>

namespace pf::ts {

class PathformerExpert : public Module<float> {
 public:
  PathformerExpert(const PathformerConfig& config, Index patch_size, Rng& rng);
  // h [M, L, N, D] → [M, L, N, D]; dropout masks come from `drop_rng` while training.
  Tensor<float> forward(const Tensor<float>& h, Rng& drop_rng);

 private:
  // The reference's WeightGenerator: factorised (per-channel D×D from a node memory) or shared.
  struct WeightGenerator : Module<float> {
    WeightGenerator(Index d, Index channels, bool factorized, Rng& rng);
    // weights [N, D, D] (factorised) or [D, D]; biases [N, D] or [1, D]
    void generate(std::vector<Tensor<float>>& weights, std::vector<Tensor<float>>& biases) const;
    bool factorized;
    Index channels;
    Tensor<float> memory;
    std::vector<std::shared_ptr<Linear<float>>> generator;
    std::vector<Tensor<float>> P, Q, B;
  };
  Tensor<float> intra(const Tensor<float>& h);
  Tensor<float> inter(const Tensor<float>& h, Rng& drop_rng);
  Tensor<float> drop(const Tensor<float>& x, double p, Rng& rng) const;

  PathformerConfig cfg_;
  Index p_, patches_;
  Tensor<float> intra_embeddings_;  // [P, 1, 1, N, 16]
  std::vector<std::shared_ptr<Linear<float>>> embeddings_generator_;
  std::shared_ptr<WeightGenerator> distinct_, shared_;
  std::shared_ptr<Linear<float>> intra_linear_, emb_linear_, W_Q_, W_K_, W_V_, to_out_, ff0_, ff3_;
  Tensor<float> W_pos_;
  std::shared_ptr<BatchNorm<float>> norm_attn_, norm_ffn_;
};

}  // namespace pf::ts
