#include "models/comformer/layers.hpp"

#include "crystal/graph_features.hpp"

#include <cmath>

namespace pf::comformer {

template <class T>
SiluMlp<T>::SiluMlp(Index in, Index out, Rng& rng) {
  first_ = this->add("0", std::make_shared<Linear<T>>(in, out, true, rng));
  second_ = this->add("2", std::make_shared<Linear<T>>(out, out, true, rng));
}

template <class T>
Tensor<T> SiluMlp<T>::forward(const Tensor<T>& x) const {
  return second_->forward(silu(first_->forward(x)));
}

template <class T>
RbfExpansion<T>::RbfExpansion(double vmin, double vmax, Index bins)
    : gamma_(crystal::rbf_gamma(vmin, vmax, bins)) {
  centers_ = this->register_buffer("centers", crystal::rbf_centers<T>(vmin, vmax, bins));
}

template <class T>
Tensor<T> RbfExpansion<T>::forward(const Tensor<T>& x) const {
  return crystal::gaussian_expansion(x, centers_, gamma_);
}

template <class T>
RbfEmbedding<T>::RbfEmbedding(double vmin, double vmax, Index bins, Index out, Rng& rng) {
  expansion_ = this->add("0", std::make_shared<RbfExpansion<T>>(vmin, vmax, bins));
  linear_ = this->add("1", std::make_shared<Linear<T>>(bins, out, true, rng));
}

template <class T>
Tensor<T> RbfEmbedding<T>::forward(const Tensor<T>& x) const {
  return softplus(linear_->forward(expansion_->forward(x)));
}

template <class T>
ComformerConv<T>::ComformerConv(Index channels, Rng& rng) : channels_(channels) {
  const Index C = channels;
  key_ = this->add("lin_key", std::make_shared<Linear<T>>(C, C, true, rng));
  query_ = this->add("lin_query", std::make_shared<Linear<T>>(C, C, true, rng));
  value_ = this->add("lin_value", std::make_shared<Linear<T>>(C, C, true, rng));
  edge_ = this->add("lin_edge", std::make_shared<Linear<T>>(C, C, true, rng));
  concate_ = this->add("lin_concate", std::make_shared<Linear<T>>(C, C, true, rng));
  msg_update_ = this->add("lin_msg_update", std::make_shared<SiluMlp<T>>(3 * C, C, rng));
  key_update_ = this->add("key_update", std::make_shared<SiluMlp<T>>(3 * C, C, rng));
  bn_ = this->add("bn", std::make_shared<BatchNorm<T>>(C));
  bn_att_ = this->add("bn_att", std::make_shared<BatchNorm<T>>(C));
}

template <class T>
Tensor<T> ComformerConv<T>::forward(const Tensor<T>& h, const GraphBatch<T>& g,
                                    const Tensor<T>& edge) {
  // h [N, C], edge [E, C] → [N, C]; i = dst (receives), j = src.
  const Tensor<T> q = query_->forward(h), k = key_->forward(h), v = value_->forward(h);
  const Tensor<T> e = edge_->forward(edge);
  const Tensor<T> key =
      key_update_->forward(concat<T>({gather(k, 0, g.dst), gather(k, 0, g.src), e}, 1));
  const Tensor<T> alpha =
      scale(mul(gather(q, 0, g.dst), key), T(1.0 / std::sqrt(double(channels_))));
  Tensor<T> msg = msg_update_->forward(concat<T>({gather(v, 0, g.dst), gather(v, 0, g.src), e}, 1));
  msg = mul(msg, sigmoid(bn_att_->forward(alpha)));
  const Tensor<T> out = concate_->forward(scatter_add(msg, 0, g.dst, g.num_nodes));
  return softplus(add(h, bn_->forward(out)));
}

template <class T>
ComformerConvEdge<T>::ComformerConvEdge(Index channels, Rng& rng) : channels_(channels) {
  const Index C = channels;
  this->add("lemb", std::make_shared<Embedding<T>>(3, 32, rng));
  key_ = this->add("lin_key", std::make_shared<Linear<T>>(C, C, true, rng));
  query_ = this->add("lin_query", std::make_shared<Linear<T>>(C, C, true, rng));
  value_ = this->add("lin_value", std::make_shared<Linear<T>>(C, C, true, rng));
  for (int m = 0; m < 3; ++m) {
    const std::string k = std::to_string(m + 1);
    key_lat_[m] = this->add("lin_key_e" + k, std::make_shared<Linear<T>>(C, C, true, rng));
    value_lat_[m] = this->add("lin_value_e" + k, std::make_shared<Linear<T>>(C, C, true, rng));
  }
  edge_ = this->add("lin_edge", std::make_shared<Linear<T>>(C, C, false, rng));
  this->add("lin_edge_len", std::make_shared<Linear<T>>(C + 32, C, true, rng));
  concate_ = this->add("lin_concate", std::make_shared<Linear<T>>(C, C, true, rng));
  msg_update_ = this->add("lin_msg_update", std::make_shared<SiluMlp<T>>(3 * C, C, rng));
  key_update_ = this->add("key_update", std::make_shared<SiluMlp<T>>(3 * C, C, rng));
  bn_att_ = this->add("bn_att", std::make_shared<BatchNorm<T>>(C));
  bn_ = this->add("bn", std::make_shared<BatchNorm<T>>(C));
}

template <class T>
Tensor<T> ComformerConvEdge<T>::forward(const Tensor<T>& edge, const GraphBatch<T>& g,
                                        const Tensor<T>& lattice_len, const Tensor<T>& angle) {
  // edge [E, C], lattice_len [G, 3, C], angle [E, 3, C] → [E, C]
  const Index E = g.num_edges, C = channels_;
  const Shape e3c = {E, 3, C};
  auto per_k = [&](const Tensor<T>& x) { return broadcast_to(reshape(x, {E, 1, C}), e3c); };
  const Tensor<T> query = per_k(query_->forward(edge));
  const Tensor<T> key_x = per_k(key_->forward(edge)), value_x = per_k(value_->forward(edge));
  // The k-specific linears act on the per-graph lattice embedding; edges gather the result.
  std::vector<Tensor<T>> key_y(3), value_y(3);
  for (int m = 0; m < 3; ++m) {
    const Tensor<T> len = reshape(slice(lattice_len, 1, m, m + 1), {g.num_graphs, C});
    key_y[m] = reshape(gather(key_lat_[m]->forward(len), 0, g.edge_graph), {E, 1, C});
    value_y[m] = reshape(gather(value_lat_[m]->forward(len), 0, g.edge_graph), {E, 1, C});
  }
  const Tensor<T> edge_xy = edge_->forward(angle);
  const Tensor<T> key = key_update_->forward(concat<T>({key_x, concat(key_y, 1), edge_xy}, 2));
  const Tensor<T> alpha = scale(mul(query, key), T(1.0 / std::sqrt(double(C))));
  Tensor<T> msg = msg_update_->forward(concat<T>({value_x, concat(value_y, 1), edge_xy}, 2));
  msg = mul(msg, reshape(sigmoid(bn_att_->forward(reshape(alpha, {3 * E, C}))), e3c));
  const Tensor<T> out = sum(concate_->forward(msg), {1});
  return softplus(add(edge, bn_->forward(out)));
}

#define PF_INSTANTIATE(T)          \
  template class SiluMlp<T>;       \
  template class RbfExpansion<T>;  \
  template class RbfEmbedding<T>;  \
  template class ComformerConv<T>; \
  template class ComformerConvEdge<T>;
PF_INSTANTIATE(float)
PF_INSTANTIATE(double)
#undef PF_INSTANTIATE

}  // namespace pf::comformer
