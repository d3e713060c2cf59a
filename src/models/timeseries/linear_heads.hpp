// The time-axis linear map of the LTSF-Linear family: [B, L, C] -> [B, T, C], one map shared by
// every channel, or one per channel ("individual", a ModuleList in the reference).
#pragma once

#include "core/rng.hpp"
#include "nn/layers.hpp"

#include <memory>
#include <vector>

namespace pf::ts {

// Parameter names as the reference's state_dict below the head's own name: shared "weight"
// [T, L] and "bias" [T]; individual "<c>.weight", "<c>.bias" for each channel c.
class LinearHeads : public Module<float> {
 public:
  LinearHeads(Index seq_len, Index pred_len, Index channels, bool individual, Rng& rng);
  // x [B, L, C] -> [B, T, C]
  Tensor<float> forward(const Tensor<float>& x) const;
  // Shared heads on series laid out time-major: xt [L, N] -> W xt + bias [T, N], one GEMM.
  Tensor<float> forward_time_major(const Tensor<float>& xt) const;
  bool individual() const { return individual_; }

 private:
  Index seq_len_, pred_len_, channels_;
  bool individual_;
  Tensor<float> weight_, bias_;                              // shared
  std::vector<std::shared_ptr<Linear<float>>> per_channel_;  // individual
};

}  // namespace pf::ts
