#include "models/timeseries/linear_heads.hpp"

#include "core/error.hpp"
#include "models/timeseries/ops.hpp"
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

Tensor<float> LinearHeads::forward_time_major(const Tensor<float>& xt) const {
  // xt [L, N] -> [T, N]
  if (individual_ || xt.ndim() != 2 || xt.dim(0) != seq_len_)
    throw ShapeError("LinearHeads::forward_time_major: xt " + to_string(xt.shape()) +
                     ", expected [" + std::to_string(seq_len_) + ", N] and shared heads");
  return time_linear(xt, weight_, bias_);
}

Tensor<float> LinearHeads::forward(const Tensor<float>& x) const {
  // x [B, L, C] -> [B, T, C]
  if (x.ndim() != 3 || x.dim(1) != seq_len_ || x.dim(2) != channels_)
    throw ShapeError("LinearHeads: x " + to_string(x.shape()) + ", expected [B, " +
                     std::to_string(seq_len_) + ", " + std::to_string(channels_) + "]");
  if (!individual_) {
    // One GEMM for the whole batch on x laid out [L, B·C], rather than B products of C columns.
    const Index b = x.dim(0);
    const Tensor<float> xt = reshape(swap_leading_axes(x), {seq_len_, b * channels_});
    return swap_leading_axes(reshape(forward_time_major(xt), {pred_len_, b, channels_}));
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
