#include "models/comformer/equivariant.hpp"

#include "kernels/compat.hpp"
#include "models/comformer/so3.hpp"

namespace pf::comformer {
namespace {

const Irreps kShIrreps = {{1, 0}, {1, 1}, {1, 2}};

}  // namespace

template <class T>
TensorProductConvLayer<T>::TensorProductConvLayer(const Irreps& in, const Irreps& out,
                                                  Index edge_features, bool residual, Rng& rng)
    : tp_(in, kShIrreps, out), residual_(residual) {
  auto fc = this->add("fc", std::make_shared<Holder<T>>());
  fc0_ = fc->add("0", std::make_shared<Linear<T>>(edge_features, edge_features, true, rng));
  fc2_ = fc->add("2", std::make_shared<Linear<T>>(edge_features, tp_.weight_numel(), true, rng));
}

template <class T>
Tensor<T> TensorProductConvLayer<T>::forward(const Tensor<T>& h, const GraphBatch<T>& g,
                                             const Tensor<T>& edge, const Tensor<T>& sh) const {
  // h [N, D_in], edge [E, Ce], sh [E, 9] → [N, D_out]
  ProfilingRegion region("pf::comformer::tensor_product_conv");
  const Tensor<T> w = fc2_->forward(softplus(fc0_->forward(edge)));
  const Tensor<T> tp = tp_.forward(gather(h, 0, g.dst), sh, w);
  Tensor<T> out = mul(scatter_add(tp, 0, g.src, g.num_nodes), g.inverse_out_degree);
  if (residual_) out = add(out, pad(h, {0, 0}, {0, out.dim(1) - h.dim(1)}));
  return out;
}

template <class T>
ComformerConvEqui<T>::ComformerConvEqui(Index channels, Index edge_features, Index scalars,
                                        Index vectors, Rng& rng) {
  const Irreps hidden = {{scalars, 0}, {vectors, 1}, {vectors, 2}}, scalar = {{scalars, 0}};
  node_linear_ =
      this->add("node_linear", std::make_shared<Linear<T>>(channels, scalars, true, rng));
  skip_linear_ =
      this->add("skip_linear", std::make_shared<Linear<T>>(channels, channels, true, rng));
  layer1_ = this->add("nlayer_1", std::make_shared<TensorProductConvLayer<T>>(
                                      scalar, hidden, edge_features, true, rng));
  layer2_ = this->add("nlayer_2", std::make_shared<TensorProductConvLayer<T>>(
                                      hidden, scalar, edge_features, false, rng));
  bn_ = this->add("bn", std::make_shared<BatchNorm<T>>(scalars));
  node_linear_2_ =
      this->add("node_linear_2", std::make_shared<Linear<T>>(scalars, channels, true, rng));
}

template <class T>
Tensor<T> ComformerConvEqui<T>::forward(const Tensor<T>& h, const GraphBatch<T>& g,
                                        const Tensor<T>& edge) {
  // h [N, C], edge [E, Ce] → [N, C]
  const Tensor<T> sh = spherical_harmonics(g.displacement);
  Tensor<T> x = node_linear_->forward(h);
  x = layer1_->forward(x, g, edge, sh);
  x = layer2_->forward(x, g, edge, sh);
  x = softplus(node_linear_2_->forward(softplus(bn_->forward(x))));
  return add(x, skip_linear_->forward(h));
}

template class TensorProductConvLayer<float>;
template class TensorProductConvLayer<double>;
template class ComformerConvEqui<float>;
template class ComformerConvEqui<double>;

}  // namespace pf::comformer
