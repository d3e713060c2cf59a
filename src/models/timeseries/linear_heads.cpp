#include "models/timeseries/linear_heads.hpp"

#include "core/error.hpp"
#include "nn/init.hpp"
#include "tensor/ops.hpp"

#include <cmath>

namespace pf::ts {

LinearHeads::LinearHeads(Index seq_len, Index pred_len, Index channels, bool individual, Rng& rng)
    : seq_len_(seq_len), pred_len_(pred_len), channels_(channels), individual_(individual) {
  if (seq_len < 1 || pred_len < 1 || channels < 1)
    throw ShapeError("LinearHeads: seq_len " + std::to_string(seq_len) + ", pred_len " +
                     std::to_string(pred_len) + ", channels " + std::to_string(channels) +
                     " (expected all ≥ 1)");
  if (!individual) {
    // nn.Linear(seq_len, pred_len): weight drawn before bias, both U(±1/√L).
    const double bound = 1.0 / std::sqrt(double(seq_len));
    weight_ = register_parameter("weight", init::uniform<float>({pred_len, seq_len}, bound, rng));
    bias_ = register_parameter("bias", init::uniform<float>({pred_len}, bound, rng));
    return;
  }
  for (Index c = 0; c < channels; ++c)
    per_channel_.push_back(register_module(
        std::to_string(c), std::make_shared<Linear<float>>(seq_len, pred_len, true, rng)));
}

Tensor<float> LinearHeads::forward(const Tensor<float>& x) const {
  // x [B, L, C] -> [B, T, C]
  if (x.ndim() != 3 || x.dim(1) != seq_len_ || x.dim(2) != channels_)
    throw ShapeError("LinearHeads: x " + to_string(x.shape()) + ", expected [B, " +
                     std::to_string(seq_len_) + ", " + std::to_string(channels_) + "]");
  if (!individual_) {
    // y[b]ᵀ = x[b]ᵀ Wᵀ [C, T], read from x in place; one transpose of the (short) output.
    const Tensor<float> xw = matmul(x, weight_, true, true);
    return add(permute(xw, {0, 2, 1}), reshape(bias_, {pred_len_, 1}));
  }
  // Per channel: stack the weights [C, T, L], bring x to [C, L, B], multiply, back to [B, T, C].
  std::vector<Tensor<float>> ws, bs;
  for (const auto& head : per_channel_) {
    ws.push_back(reshape(head->weight, {1, pred_len_, seq_len_}));
    bs.push_back(reshape(head->bias, {1, pred_len_, 1}));
  }
  const Tensor<float> y = add(matmul(concat(ws, 0), permute(x, {2, 1, 0})), concat(bs, 0));
  return permute(y, {2, 1, 0});
}

}  // namespace pf::ts
