#include "models/factformer/modules.hpp"

#include "models/factformer/features.hpp"
#include "models/factformer/ops.hpp"
#include "nn/init.hpp"

#include <cmath>

namespace pf::factformer {

namespace {
// The frozen matrix of GaussianFourierFeatureTransform: a buffer here (no gradient), a
// requires_grad=False parameter there; both appear in the state_dict as "_B".
class FourierMatrix : public Module<float> {
 public:
  FourierMatrix(Index axes, Index features, double scale, Rng& rng) {
    b = register_buffer("_B", init::normal<float>({axes, features}, 0.0, scale, rng));
  }
  Tensor<float> b;
};

class InvFreq : public Module<float> {
 public:
  explicit InvFreq(Index kernel_dim) {
    inv_freq = register_buffer("inv_freq", rotary_inv_freq(kernel_dim));
  }
  Tensor<float> inv_freq;
};
}  // namespace

LayerSpec layer_spec(const FactFormer2DConfig& c) {
  return {2,
          c.dim,
          c.heads,
          c.dim_head,
          c.kernel_dim(),
          c.kernel_scale(),
          c.fourier_features,
          c.fourier_scale};
}

LayerSpec layer_spec(const FactFormer3DConfig& c) {
  return {3,
          c.dim,
          c.heads,
          c.dim_head,
          c.kernel_dim(),
          c.kernel_scale(),
          c.fourier_features,
          c.fourier_scale};
}

GegluFfn::GegluFfn(Index dim, Rng& rng) {
  norm_ = add("norm", std::make_shared<LayerNorm<float>>(dim));
  auto fn = add("fn", std::make_shared<Holder>());
  auto net = fn->add("net", std::make_shared<Holder>());
  in_ = net->add("0", std::make_shared<Linear<float>>(dim, 2 * dim, true, rng));
  out_ = net->add("3", std::make_shared<Linear<float>>(dim, dim, true, rng));
}

Tensor<float> GegluFfn::forward(const Tensor<float>& x) const {
  return out_->forward(geglu(in_->forward(norm_->forward(x))));
}

PoolingReducer::PoolingReducer(Index dim, Rng& rng) {
  to_in_ = add("to_in", std::make_shared<Linear<float>>(dim, dim, false, rng));
  ffn_ = add("out_ffn", std::make_shared<GegluFfn>(dim, rng));
}

Tensor<float> PoolingReducer::forward(const Tensor<float>& pooled) const {
  return ffn_->forward(to_in_->forward(pooled));
}

AxisKernel::AxisKernel(const LayerSpec& c, Rng& rng)
    : heads_(c.heads), scale_(float(c.kernel_scale)) {
  const Index out = c.heads * c.kernel_dim;
  // xavier_uniform with gain 0.02: bound = gain · sqrt(6 / (fan_in + fan_out))
  const double bound = 0.02 * std::sqrt(6.0 / double(c.dim + out));
  to_q_ = add("to_q", std::make_shared<Linear<float>>(c.dim, out, false, rng));
  to_k_ = add("to_k", std::make_shared<Linear<float>>(c.dim, out, false, rng));
  Kokkos::deep_copy(to_q_->weight.data(), init::uniform<float>({out, c.dim}, bound, rng).data());
  Kokkos::deep_copy(to_k_->weight.data(), init::uniform<float>({out, c.dim}, bound, rng).data());
  inv_freq_ = add("pos_emb", std::make_shared<InvFreq>(c.kernel_dim))->inv_freq;
}

Tensor<float> AxisKernel::forward(const Tensor<float>& u, const std::vector<float>& p) const {
  const auto [cos, sin] = rotary_tables(p, inv_freq_);
  const Tensor<float> q = rotary(to_q_->forward(u), heads_, cos, sin);
  const Tensor<float> k = rotary(to_k_->forward(u), heads_, cos, sin);
  return axis_kernel(q, k, heads_, scale_);
}

FABlock::FABlock(const LayerSpec& c, Rng& rng) {
  const Index hd = c.heads * c.dim_head;
  in_norm_ = add("in_norm", std::make_shared<LayerNorm<float>>(c.dim));
  to_v_ = add("to_v", std::make_shared<Linear<float>>(c.dim, hd, false, rng));
  to_in_ = add("to_in", std::make_shared<Linear<float>>(c.dim, c.dim, false, rng));
  // index 0 of the reference's to_y and to_z is the axis permutation (no parameters)
  const char* names[3] = {"to_x", "to_y", "to_z"};
  for (Index a = 0; a < c.axes; ++a)
    reducers_.push_back(
        add(names[a], std::make_shared<Holder>())
            ->add(a == 0 ? "0" : "1", std::make_shared<PoolingReducer>(c.dim, rng)));
  const char* kernel_names[3] = {"low_rank_kernel_x", "low_rank_kernel_y", "low_rank_kernel_z"};
  for (Index a = 0; a < c.axes; ++a)
    kernels_.push_back(add(kernel_names[a], std::make_shared<AxisKernel>(c, rng)));
  auto out = add("to_out", std::make_shared<Holder>());  // 0: the norm (no parameters)
  out1_ = out->add("1", std::make_shared<Linear<float>>(hd, c.dim, false, rng));
  out3_ = out->add("3", std::make_shared<Linear<float>>(c.dim, c.dim, false, rng));
}

Tensor<float> FABlock::forward(const Tensor<float>& u, const AxisCoordinates& p) const {
  // u [B, X, Y(, Z), C]
  const Tensor<float> h = in_norm_->forward(u);
  // [B, X + Y (+ Z), C]: the mean over the other axes for each index of each axis, projected by
  // to_in
  const Tensor<float> pooled = to_in_->forward(axis_means(h));
  std::vector<Tensor<float>> k;  // per axis [B, H, n_a, n_a]
  Index row = 0;
  for (size_t a = 0; a < kernels_.size(); ++a) {
    const Index n = u.dim(Index(a) + 1);
    k.push_back(kernels_[a]->forward(reducers_[a]->forward(slice(pooled, 1, row, row + n)), p[a]));
    row += n;
  }
  // values v = to_v(h) [B, X, Y(, Z), H·Dh] integrated along each axis, normalised per head
  const Tensor<float> w = k.size() == 2
                              ? axial_attention(k[0], k[1], h, to_v_->weight, 1e-8f)
                              : axial_attention(k[0], k[1], k[2], h, to_v_->weight, 1e-8f);
  return gelu_linear(out1_->forward(w), out3_->weight, Tensor<float>());
}

FourierEncoding::FourierEncoding(const LayerSpec& c, Rng& rng) {
  b_ = add("0", std::make_shared<FourierMatrix>(c.axes, c.fourier_features, c.fourier_scale, rng))
           ->b;
  proj_ = add("1", std::make_shared<Linear<float>>(2 * c.fourier_features, c.dim, true, rng));
}

Tensor<float> FourierEncoding::forward(const Tensor<float>& u, const AxisCoordinates& p) const {
  return add_fourier_encoding(u, p, b_, proj_->weight, proj_->bias);
}

}  // namespace pf::factformer
