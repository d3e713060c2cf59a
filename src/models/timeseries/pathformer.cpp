#include "models/timeseries/pathformer.hpp"

#include "core/error.hpp"

#include <string>

namespace pf::ts {

Pathformer::Pathformer(const PathformerConfig& c, Rng& rng) : cfg_(c), rng_(rng.next_u64()) {
  const Index n = c.shape.channels, L = c.shape.seq_len;
  if (c.revin) revin_ = register_module("revin_layer", std::make_shared<RevIN>(n, false, false));
  start_fc_ = register_module("start_fc", std::make_shared<Linear<float>>(1, c.d_model, true, rng));
  for (size_t l = 0; l < c.patch_sizes.size(); ++l)
    layers_.push_back(register_module("AMS_lists." + std::to_string(l),
                                      std::make_shared<PathformerLayer>(c, c.patch_sizes[l], rng)));
  projection_ = register_module(
      "projections.0", std::make_shared<Linear<float>>(L * c.d_model, c.shape.pred_len, true, rng));
}

Tensor<float> Pathformer::forward(const Tensor<float>& x_in) {
  const Index b = x_in.dim(0), L = cfg_.shape.seq_len, n = cfg_.shape.channels, d = cfg_.d_model;
  if (x_in.ndim() != 3 || x_in.dim(1) != L || x_in.dim(2) != n)
    throw ShapeError("Pathformer: input " + to_string(x_in.shape()) + ", expected [B, " +
                     std::to_string(L) + ", " + std::to_string(n) + "]");
  const Tensor<float> x = cfg_.revin ? revin_->norm(x_in) : x_in;
  Tensor<float> h = start_fc_->forward(reshape(x, {b, L, n, 1}));  // [B, L, N, D]
  Tensor<float> loss;
  for (size_t l = 0; l < layers_.size(); ++l) {
    const Tensor<float> noise = l < gate_noise_.size() ? gate_noise_[l] : Tensor<float>();
    auto r = layers_[l]->forward(h, rng_, noise);
    h = r.out;
    loss = loss.defined() ? add(loss, r.balance_loss) : r.balance_loss;
  }
  balance_loss_ = loss;
  // Flatten (time, width) per channel: index t·D + d.
  Tensor<float> y = projection_->forward(reshape(permute(h, {0, 2, 1, 3}), {b, n, L * d}));
  y = permute(y, {0, 2, 1});  // [B, T, N]
  return cfg_.revin ? revin_->denorm(y) : y;
}

}  // namespace pf::ts
