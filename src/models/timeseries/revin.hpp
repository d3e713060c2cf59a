// Reversible instance normalisation (RevIN) as PatchTST and Pathformer use it: each (sample,
// channel) series is centred by its mean (or its last value) and scaled by its biased standard
// deviation over time; the forecast is mapped back with the same, detached, statistics.
#pragma once

#include "nn/module.hpp"
#include "tensor/ops.hpp"

namespace pf::ts {

class RevIN : public Module<float> {
 public:
  // Parameters affine_weight, affine_bias [channels] (ones, zeros) when affine.
  RevIN(Index channels, bool affine, bool subtract_last, double eps = 1e-5);

  // x [B, L, C] → normalised [B, L, C]; remembers the statistics for denorm().
  Tensor<float> norm(const Tensor<float>& x);
  // y [B, T, C] → y in the units of the last norm()'s input.
  Tensor<float> denorm(const Tensor<float>& y) const;

  Tensor<float> affine_weight, affine_bias;

 private:
  bool affine_, subtract_last_;
  double eps_;
  Tensor<float> center_, stdev_;  // [B, 1, C]
};

}  // namespace pf::ts
