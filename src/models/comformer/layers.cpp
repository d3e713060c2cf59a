#include "models/comformer/layers.hpp"

#include "crystal/graph_features.hpp"
#include "kernels/compat.hpp"
#include "kernels/edge_gather.hpp"
#include "models/comformer/edge_ops.hpp"

#include <cmath>
#include <utility>

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
Tensor<T> SiluMlp<T>::forward_from_hidden(const Tensor<T>& pre) const {
  return second_->forward(silu(pre));
}

namespace {

// Columns [part·C, (part+1)·C) of a [C, 3C] weight: the block acting on input part `part`.
template <class T>
Tensor<T> weight_block(const Linear<T>& layer, Index C, Index part) {
  return slice(layer.weight, 1, part * C, (part + 1) * C);
}

// x [n, C] → x W_partᵀ without bias: [n, C]
template <class T>
Tensor<T> apply_block(const Tensor<T>& x, const Linear<T>& layer, Index C, Index part) {
  return linear(x, weight_block(layer, C, part), Tensor<T>());
}

// The edge blocks (block 2) of two first layers a, b applied after `inner`, as one linear map
// with both first layers' biases: x [..., C] → [..., 2C] =
//   (x Wᵢᵀ + bᵢ) [W_a2; W_b2]ᵀ + [b_a; b_b] = x ([W_a2; W_b2] Wᵢ)ᵀ + ([W_a2; W_b2] bᵢ + [b_a; b_b])
template <class T>
Tensor<T> fold_linear(const Tensor<T>& x, const Linear<T>& inner, const Linear<T>& a,
                      const Linear<T>& b, Index C) {
  const Tensor<T> blocks = concat<T>({weight_block(a, C, 2), weight_block(b, C, 2)}, 0);
  const Tensor<T> first_bias = concat<T>({a.bias, b.bias}, 0);
  const Tensor<T> bias =
      inner.bias.defined()
          ? add(reshape(matmul(blocks, reshape(inner.bias, {C, 1})), {2 * C}), first_bias)
          : first_bias;
  return linear(x, matmul(blocks, inner.weight), bias);
}

}  // namespace

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
  ProfilingRegion region("pf::comformer::conv");
  const Index C = channels_;
  const Linear<T>&key1 = key_update_->first(), &msg1 = msg_update_->first();
  // [x_i, x_j, e] W1ᵀ + b1 = (x W1aᵀ)[dst] + (x W1bᵀ)[src] + (e W1cᵀ + b1): the node parts side
  // by side, [N, 2C], read in place by the fused gather.
  auto node_parts = [&](const Linear<T>& proj, const Linear<T>& layer) {
    return linear(proj.forward(h),
                  concat<T>({weight_block(layer, C, 0), weight_block(layer, C, 1)}, 0),
                  Tensor<T>());
  };
  const Tensor<T> kn = node_parts(*key_, key1), vn = node_parts(*value_, msg1);
  // e = lin_edge(edge) only feeds the edge blocks of both first layers, so lin_edge is folded
  // into them (a C×C×2C product per layer): 2C² instead of 3C² per edge, with the first
  // layers' biases added in the same product: [E, 2C].
  const Tensor<T> e_parts = fold_linear(edge, *edge_, key1, msg1, C);
  const Tensor<T> key =
      key_update_->forward_from_hidden(gather_sum3(kn, 0, g.dst, kn, C, g.src, e_parts, 0, C));
  const Tensor<T> alpha =
      gather_scale_mul(query_->forward(h), 0, g.dst, key, T(1.0 / std::sqrt(double(C))));
  Tensor<T> msg =
      msg_update_->forward_from_hidden(gather_sum3(vn, 0, g.dst, vn, C, g.src, e_parts, C, C));
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
  ProfilingRegion region("pf::comformer::conv_edge");
  const Index E = g.num_edges, G = g.num_graphs, C = channels_, R = 3 * E;
  const Linear<T>&key1 = key_update_->first(), &msg1 = msg_update_->first();
  // Part a, the same for an edge's three lattice vectors, and the query: lin_key and lin_value
  // folded into the first layers' blocks 0, one product with lin_query: [E, 3C] =
  // [query | key part | value part].
  auto folded = [&](const Linear<T>& proj, const Linear<T>& layer) {
    const Tensor<T> block = weight_block(layer, C, 0);
    return std::pair{matmul(block, proj.weight),
                     reshape(matmul(block, reshape(proj.bias, {C, 1})), {C})};
  };
  const auto [wk, bk] = folded(*key_, key1);
  const auto [wv, bv] = folded(*value_, msg1);
  const Tensor<T> own =
      linear(edge, concat<T>({query_->weight, wk, wv}, 0), concat<T>({query_->bias, bk, bv}, 0));
  // Part b: k-specific linears of the per-graph lattice embedding: [G·3, C], row 3g + k.
  auto lattice_part = [&](const std::array<std::shared_ptr<Linear<T>>, 3>& proj,
                          const Linear<T>& layer) {
    std::vector<Tensor<T>> per_k(3);
    for (int m = 0; m < 3; ++m) {
      const Tensor<T> len = reshape(slice(lattice_len, 1, m, m + 1), {G, C});
      per_k[m] = reshape(apply_block(proj[m]->forward(len), layer, C, 1), {G, 1, C});
    }
    return reshape(concat(per_k, 1), {3 * G, C});
  };
  // Part c: the angle embedding through lin_edge folded into both layers' edge blocks, with
  // their biases: rows (e, k), [3E, 2C].
  const Tensor<T> angle_parts = reshape(fold_linear(angle, *edge_, key1, msg1, C), {R, 2 * C});
  IndexVec row_edge(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::comformer::row_edge"), R);
  IndexVec row_lattice(
      Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::comformer::row_lattice"), R);
  kern::lattice_rows(g.edge_graph, row_edge, row_lattice, E);
  const Tensor<T> lat_k = lattice_part(key_lat_, key1), lat_v = lattice_part(value_lat_, msg1);
  const Tensor<T> key = key_update_->forward_from_hidden(
      gather_sum3(own, C, row_edge, lat_k, 0, row_lattice, angle_parts, 0, C));
  const Tensor<T> alpha = gather_scale_mul(own, 0, row_edge, key, T(1.0 / std::sqrt(double(C))));
  Tensor<T> msg = msg_update_->forward_from_hidden(
      gather_sum3(own, 2 * C, row_edge, lat_v, 0, row_lattice, angle_parts, C, C));
  msg = mul(msg, sigmoid(bn_att_->forward(alpha)));
  // Σ_k (W m_k + b) = W Σ_k m_k + 3b: lin_concate on E rows instead of 3E.
  const Tensor<T> out =
      linear(sum(reshape(msg, {E, 3, C}), {1}), concate_->weight, scale(concate_->bias, T(3)));
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
