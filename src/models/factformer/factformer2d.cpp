#include "models/factformer/factformer2d.hpp"

#include "core/error.hpp"
#include "models/factformer/features.hpp"
#include "models/factformer/modules.hpp"
#include "models/factformer/ops.hpp"
#include "nn/init.hpp"
#include "tensor/ops.hpp"

namespace pf {

using factformer::Holder;

FactFormer2D::FactFormer2D(const FactFormer2DConfig& config, Rng& rng) : config_(config) {
  config_.validate();
  const auto& c = config_;
  const Index lat = c.latent_dim();
  // torch registers a module's own parameters first: latent_time_emb leads the state_dict.
  latent_time_emb_ = register_parameter(
      "latent_time_emb", init::normal<float>({1, c.max_latent_steps, 1, 1, lat}, 0.0, 0.02, rng));
  to_in_ =
      register_module("to_in", std::make_shared<Linear<float>>(c.in_channels, c.dim, true, rng));
  const factformer::LayerSpec spec = factformer::layer_spec(c);
  auto layers = register_module("encoder", std::make_shared<Holder>())
                    ->add("layers", std::make_shared<Holder>());
  for (Index l = 0; l < c.depth; ++l) {
    auto layer = layers->add(std::to_string(l), std::make_shared<Holder>());
    encodings_.push_back(layer->add("0", std::make_shared<factformer::FourierEncoding>(spec, rng)));
    blocks_.push_back(layer->add("1", std::make_shared<factformer::FABlock>(spec, rng)));
  }
  expand_latent_ =
      register_module("expand_latent", std::make_shared<Linear<float>>(c.dim, lat, false, rng));
  auto prop = register_module("propagator", std::make_shared<Holder>());
  prop_norm_ = prop->add("norm", std::make_shared<LayerNorm<float>>(lat));
  auto net = prop->add("fn", std::make_shared<Holder>())->add("net", std::make_shared<Holder>());
  prop_in_ = net->add("0", std::make_shared<Linear<float>>(lat, c.dim, true, rng));
  prop_out_ = net->add("3", std::make_shared<Linear<float>>(c.dim, lat, true, rng));
  // index 0 of the reference's simple_to_out is a rearrange (no parameters)
  auto dec = register_module("simple_to_out", std::make_shared<Holder>());
  dec_norm_ = dec->add("1", std::make_shared<GroupNorm<float>>(c.decoder_groups(), lat));
  dec1_ = dec->add("2", std::make_shared<PointwiseConv<float>>(lat, c.dim, 1, 8, false, rng));
  dec2_ = dec->add("4", std::make_shared<PointwiseConv<float>>(c.dim, c.dim / 2, 1, 1, false, rng));
  dec3_ = dec->add(
      "6", std::make_shared<PointwiseConv<float>>(c.dim / 2, c.out_channels, 1, 1, true, rng));
}

Tensor<float> FactFormer2D::decode(const Tensor<float>& z) const {
  // z [B, X, Y, L] → [B, X, Y, out], channels last throughout: the reference's GroupNorm and
  // 1×1 convolutions act per point on the channels, so no transposition is needed.
  const Index out = config_.out_channels, c = config_.dim;
  Tensor<float> y = factformer::domain_group_norm(z, config_.decoder_groups(), 1e-5f, false,
                                                  dec_norm_->weight, dec_norm_->bias);
  y = factformer::grouped_linear(y, dec1_->weight, 8);
  y = factformer::gelu_linear(y, reshape(dec2_->weight, {c / 2, c}), Tensor<float>());
  return factformer::gelu_linear(y, reshape(dec3_->weight, {out, c / 2}), dec3_->bias);
}

Tensor<float> FactFormer2D::forward(const Tensor<float>& u, Index latent_steps) {
  const auto& c = config_;
  if (u.ndim() != 4 || u.dim(3) != c.in_channels || u.dim(0) < 1 || u.dim(1) < 1 || u.dim(2) < 1)
    throw ShapeError("FactFormer2D: input must be [B, X, Y, " + std::to_string(c.in_channels) +
                     "], found " + to_string(u.shape()));
  if (latent_steps < 1 || latent_steps > c.max_latent_steps)
    throw ShapeError("FactFormer2D: latent_steps must be in [1, " +
                     std::to_string(c.max_latent_steps) + "], found " +
                     std::to_string(latent_steps));
  const Index b = u.dim(0), nx = u.dim(1), ny = u.dim(2), lat = c.latent_dim();
  const factformer::AxisCoordinates p{factformer::grid_coordinates(nx, c.domain_length),
                                      factformer::grid_coordinates(ny, c.domain_length)};

  // u [B, X, Y, Cin] → [B, X, Y, C]
  Tensor<float> h = to_in_->forward(u);
  for (size_t l = 0; l < blocks_.size(); ++l) {
    h = encodings_[l]->forward(h, p);  // + the layer's Fourier encoding [X, Y, C]
    h = add(blocks_[l]->forward(h, p), h);
  }
  // latent marching: z [B, X, Y, L], one decoded field per step
  // (the decoder's norm is per sample, so each step decodes on its own)
  Tensor<float> z = expand_latent_->forward(h);
  std::vector<Tensor<float>> steps;
  for (Index t = 0; t < latent_steps; ++t) {
    z = add(z, reshape(slice(latent_time_emb_, 1, t, t + 1), {1, 1, 1, lat}));
    const Tensor<float> a = factformer::layer_norm_linear(z, prop_norm_->weight, prop_norm_->bias,
                                                          1e-5f, prop_in_->weight, prop_in_->bias);
    z = add(factformer::gelu_linear(a, prop_out_->weight, prop_out_->bias), z);
    steps.push_back(reshape(decode(z), {b, 1, nx, ny, c.out_channels}));
  }
  return latent_steps == 1 ? steps[0] : concat(steps, 1);  // [B, T, X, Y, out]
}

}  // namespace pf
