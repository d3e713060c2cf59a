// One Pathformer layer (the reference's AMS): the multi-scale router picks k of the layer's
// experts per sample from the series' seasonality and trend, and their outputs are combined with
// the gate weights. Specification: shared/models/timeseries.md §1c.
#pragma once

#include "models/timeseries/pathformer_expert.hpp"

#include <memory>
#include <vector>

namespace pf::ts {

class PathformerLayer : public Module<float> {
 public:
  PathformerLayer(const PathformerConfig& config, const std::vector<Index>& patch_sizes, Rng& rng);

  struct Result {
    Tensor<float> out;           // [B, L, N, D]
    Tensor<float> balance_loss;  // [] already multiplied by balance_loss_coef
  };
  // h [B, L, N, D]. While training, gate noise is `noise` [B, E] when defined, else N(0, 1)
  // drawn from `rng`, which also draws the experts' dropout masks.
  Result forward(const Tensor<float>& h, Rng& rng, const Tensor<float>& noise);

 private:
  struct Gating {
    Tensor<float> gates;      // [B, E], zero for experts not chosen
    Tensor<float> load;       // [E]
    std::vector<float> host;  // gates on the host, to dispatch samples
  };
  Tensor<float> router_input(const Tensor<float>& h) const;  // [B, L]
  Gating gating(const Tensor<float>& h, Rng& rng, const Tensor<float>& noise) const;

  PathformerConfig cfg_;
  Index experts_;
  std::shared_ptr<Linear<float>> start_linear_, trend_layer_, w_noise_, w_gate_;
  std::vector<std::shared_ptr<PathformerExpert>> experts_list_;
  Tensor<float> trend_matrix_;  // [L, 3L]: moving averages with kernels 4, 8, 12
  Tensor<float> dft_, idft_;    // [L, 2F], [2F, L]: real DFT of the bins 1..F and its inverse
};

}  // namespace pf::ts
