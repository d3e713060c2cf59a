// The interface every time-series forecaster implements (Linear family, PatchTST, Pathformer),
// so training, evaluation and prediction are written once for all of them.
// Specification of the models: /work/shared/models/timeseries.md and docs/timeseries.md.
#pragma once

#include "nn/module.hpp"

namespace pf::ts {

// The window sizes a forecaster is built for; models with per-position weights need all three.
struct ForecastShape {
  Index seq_len = 96;   // lookback L
  Index pred_len = 96;  // horizon T
  Index channels = 7;   // C seen by the model (1 in feature mode S)
};

class Forecaster : public Module<float> {
 public:
  // x [B, seq_len, channels], standardised → [B, pred_len, channels] in the same units.
  virtual Tensor<float> forward(const Tensor<float>& x) = 0;

  // A loss term the model adds to training from its last forward (Pathformer's load-balance
  // loss, already multiplied by its coefficient); undefined when the model has none.
  virtual Tensor<float> auxiliary_loss() const { return {}; }

  virtual const char* name() const = 0;  // the deck's model.name, e.g. "dlinear"
};

}  // namespace pf::ts
