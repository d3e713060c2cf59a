#include "models/factformer/factformer3d.hpp"

#include "core/error.hpp"
#include "models/factformer/features.hpp"
#include "models/factformer/modules.hpp"
#include "models/factformer/ops.hpp"
#include "nn/init.hpp"
#include "tensor/ops.hpp"
#include "tensor/ops_conv.hpp"

#include <cmath>

namespace pf {

namespace factformer {
// A torch Conv2d's parameters ("weight", optional "bias") with its default initialisation
// U(±1/√fan_in); the input convolutions apply them through window_projection.
class ParameterSet : public Module<float> {
 public:
  ParameterSet(const Shape& weight_shape, Index fan_in, bool has_bias, Rng& rng) {
    const double bound = 1.0 / std::sqrt(double(fan_in));
    weight = register_parameter("weight", init::uniform<float>(weight_shape, bound, rng));
    if (has_bias)
      bias = register_parameter("bias", init::uniform<float>({weight_shape[0]}, bound, rng));
  }
  Tensor<float> weight, bias;
};
}  // namespace factformer

using factformer::Holder;

FactFormer3D::FactFormer3D(const FactFormer3DConfig& config, Rng& rng) : config_(config) {
  config_.validate();
  const auto& c = config_;
  const Index lat = c.latent_dim(), half = c.dim / 2;
  // torch registers a module's own parameters first: latent_time_emb leads the state_dict.
  latent_time_emb_ = register_parameter(
      "latent_time_emb",
      init::normal<float>({1, c.max_latent_steps, 1, 1, 1, lat}, 0.0, 0.02, rng));
  auto to_in = register_module("to_in", std::make_shared<Holder>());
  // 0: Conv2d(F → C/2, 1×1, groups F): fan_in 1; 2: Conv2d(C/2 → C, (T, 1), no bias)
  in_conv1_ = to_in->add(
      "0", std::make_shared<factformer::ParameterSet>(Shape{half, 1, 1, 1}, 1, true, rng));
  in_conv2_ =
      to_in->add("2", std::make_shared<factformer::ParameterSet>(Shape{c.dim, half, c.in_steps, 1},
                                                                 half * c.in_steps, false, rng));
  const factformer::LayerSpec spec = factformer::layer_spec(c);
  auto layers = register_module("encoder", std::make_shared<Holder>())
                    ->add("layers", std::make_shared<Holder>());
  for (Index l = 0; l < c.depth; ++l) {
    auto layer = layers->add(std::to_string(l), std::make_shared<Holder>());
    encodings_.push_back(layer->add("0", std::make_shared<factformer::FourierEncoding>(spec, rng)));
    blocks_.push_back(layer->add("1", std::make_shared<factformer::FABlock>(spec, rng)));
  }
  // index 0 of down_block is the instance norm, of up_block the upsampling (no parameters)
  auto down = register_module("down_block", std::make_shared<Holder>());
  down1_ = down->add("1", std::make_shared<Conv3d<float>>(c.dim, half, 3, 2, 1, true, rng));
  down2_ = down->add("3", std::make_shared<Conv3d<float>>(half, half, 3, 1, 1, true, rng));
  auto up = register_module("up_block", std::make_shared<Holder>());
  up1_ = up->add("1", std::make_shared<Conv3d<float>>(half, half, 3, 1, 1, true, rng));
  up2_ = up->add("3", std::make_shared<Conv3d<float>>(half, c.dim, 3, 1, 1, true, rng));
  expand_latent_ =
      register_module("expand_latent", std::make_shared<Linear<float>>(2 * c.dim, lat, false, rng));
  auto prop = register_module("propagator", std::make_shared<Holder>());
  prop_norm_ = prop->add("norm", std::make_shared<LayerNorm<float>>(lat));
  auto net = prop->add("fn", std::make_shared<Holder>())->add("net", std::make_shared<Holder>());
  prop_in_ = net->add("0", std::make_shared<Linear<float>>(lat, c.dim, true, rng));
  prop_out_ = net->add("3", std::make_shared<Linear<float>>(c.dim, lat, true, rng));
  // index 0 of the reference's simple_to_out is a rearrange (no parameters)
  auto dec = register_module("simple_to_out", std::make_shared<Holder>());
  dec_norm_ = dec->add("1", std::make_shared<GroupNorm<float>>(c.decoder_groups(), lat));
  dec1_ = dec->add("2", std::make_shared<PointwiseConv<float>>(lat, c.dim, 1, 8, false, rng));
  dec2_ = dec->add("4", std::make_shared<PointwiseConv<float>>(c.dim, half, 1, 1, false, rng));
  dec3_ =
      dec->add("6", std::make_shared<PointwiseConv<float>>(half, c.out_fields, 1, 1, true, rng));
}

Tensor<float> FactFormer3D::decode(const Tensor<float>& z) const {
  // z [B, X, Y, Z, L] → [B, X, Y, Z, out], channels last throughout: the reference's GroupNorm and
  // 1×1 convolutions act per point on the channels.
  const Index out = config_.out_fields, c = config_.dim;
  Tensor<float> y = factformer::domain_group_norm(z, config_.decoder_groups(), 1e-5f, false,
                                                  dec_norm_->weight, dec_norm_->bias);
  y = factformer::grouped_linear(y, dec1_->weight, 8);
  y = factformer::gelu_linear(y, reshape(dec2_->weight, {c / 2, c}), Tensor<float>());
  return factformer::gelu_linear(y, reshape(dec3_->weight, {out, c / 2}), dec3_->bias);
}

Tensor<float> FactFormer3D::forward(const Tensor<float>& u, Index latent_steps) {
  const auto& c = config_;
  if (u.ndim() != 6 || u.dim(1) != c.in_steps || u.dim(5) != c.in_fields || u.dim(0) < 1 ||
      u.dim(2) < 2 || u.dim(3) < 2 || u.dim(4) < 2 || u.dim(2) % 2 != 0 || u.dim(3) % 2 != 0 ||
      u.dim(4) % 2 != 0)
    throw ShapeError("FactFormer3D: input must be [B, " + std::to_string(c.in_steps) +
                     ", X, Y, Z, " + std::to_string(c.in_fields) +
                     "] with X, Y, Z even (stride-2 convolution, ×2 upsampling), found " +
                     to_string(u.shape()));
  if (latent_steps < 1 || latent_steps > c.max_latent_steps)
    throw ShapeError("FactFormer3D: latent_steps must be in [1, " +
                     std::to_string(c.max_latent_steps) + "], found " +
                     std::to_string(latent_steps));
  const Index b = u.dim(0), nx = u.dim(2), ny = u.dim(3), nz = u.dim(4), lat = c.latent_dim();
  const factformer::AxisCoordinates p{
      factformer::padded_grid_coordinates(nx, c.domain_length, c.padding),
      factformer::padded_grid_coordinates(ny, c.domain_length, c.padding),
      factformer::padded_grid_coordinates(nz, c.domain_length, c.padding)};

  // u [B, T, X, Y, Z, F] → [B, X + pad, Y + pad, Z + pad, C]
  Tensor<float> h = factformer::window_projection(u, in_conv1_->weight, in_conv1_->bias,
                                                  in_conv2_->weight, c.padding);
  for (size_t l = 0; l < blocks_.size(); ++l) {
    h = encodings_[l]->forward(h, p);  // + the layer's Fourier encoding
    h = add(blocks_[l]->forward(h, p), h);
  }
  if (c.padding > 0) h = factformer::crop_padding(h, c.padding);
  // the down/up block on the cropped encoding [B, X, Y, Z, C], then [block output, encoding]
  Tensor<float> d = down1_->forward(instance_norm(h, 1e-5f));
  // up1 ∘ upsample as one coarse-grid convolution (sub-pixel decomposition, same result)
  d = upsample2_conv3d(down2_->forward(gelu(d)), up1_->weight, up1_->bias);
  d = up2_->forward(gelu(d));
  // expand_latent on [d, h] (the reference's concatenation) as the sum of its two column blocks
  // applied to each part: the [points, 2C] concatenation is never stored
  const Tensor<float>& w = expand_latent_->weight;  // [L, 2C]
  Tensor<float> z = add(linear(d, slice(w, 1, 0, c.dim), Tensor<float>()),
                        linear(h, slice(w, 1, c.dim, 2 * c.dim), Tensor<float>()));
  // latent marching: z [B, X, Y, Z, L], one decoded field per step
  std::vector<Tensor<float>> steps;
  for (Index t = 0; t < latent_steps; ++t) {
    z = add(z, reshape(slice(latent_time_emb_, 1, t, t + 1), {1, 1, 1, 1, lat}));
    const Tensor<float> a = factformer::layer_norm_linear(z, prop_norm_->weight, prop_norm_->bias,
                                                          1e-5f, prop_in_->weight, prop_in_->bias);
    z = add(factformer::gelu_linear(a, prop_out_->weight, prop_out_->bias), z);
    steps.push_back(reshape(decode(z), {b, 1, nx, ny, nz, c.out_fields}));
  }
  return latent_steps == 1 ? steps[0] : concat(steps, 1);  // [B, T, X, Y, Z, out]
}

}  // namespace pf
