// Pathformer (Chen et al. 2024, decisionintelligence/pathformer): RevIN, a scalar embedding
// Linear(1 → D), layers of adaptive multi-scale experts (pathformer_router.hpp) and a flatten
// head Linear(L·D → T). state_dict keys are the reference's (AMS_lists.<l>..., start_fc,
// projections.0). Where the reference code departs from the paper, PathformerConfig selects
// (docs/timeseries-models.md).
#pragma once

#include "core/rng.hpp"
#include "models/timeseries/forecaster.hpp"
#include "models/timeseries/pathformer_config.hpp"
#include "models/timeseries/pathformer_router.hpp"
#include "models/timeseries/revin.hpp"

#include <memory>
#include <vector>

namespace pf::ts {

class Pathformer : public Forecaster {
 public:
  Pathformer(const PathformerConfig& config, Rng& rng);
  Tensor<float> forward(const Tensor<float>& x) override;
  // Σ over layers of the load-balance loss (coefficient applied) of the last forward.
  Tensor<float> auxiliary_loss() const override { return balance_loss_; }
  const char* name() const override { return "pathformer"; }
  const PathformerConfig& config() const { return cfg_; }

  // Gate noise for the next training-mode forwards, one [B, E] tensor per layer, instead of
  // draws from the model's stream: lets a forward be replayed against another implementation.
  void set_gate_noise(std::vector<Tensor<float>> per_layer) { gate_noise_ = std::move(per_layer); }

 private:
  PathformerConfig cfg_;
  Rng rng_;  // gate noise and dropout masks
  std::shared_ptr<RevIN> revin_;
  std::shared_ptr<Linear<float>> start_fc_, projection_;
  std::vector<std::shared_ptr<PathformerLayer>> layers_;
  std::vector<Tensor<float>> gate_noise_;
  Tensor<float> balance_loss_;
};

}  // namespace pf::ts
