#include "models/comformer/icomformer.hpp"

#include "core/error.hpp"
#include "crystal/graph_features.hpp"

namespace pf::comformer {

template <class T>
Tensor<T> embed_atoms(const Embedding<T>& table, const Linear<T>& embedding,
                      const GraphBatch<T>& g) {
  return embedding.forward(table.forward(g.species, {g.num_nodes}));
}

template <class T>
Tensor<T> mean_pool(const Tensor<T>& h, const GraphBatch<T>& g) {
  return mul(scatter_add(h, 0, g.node_graph, g.num_graphs), g.inverse_node_count);
}

template <class T>
IComformer<T>::IComformer(const ComformerConfig& c, Rng& rng) : config_(c) {
  if (c.conv_layers < 2)
    throw InputError("iComformer: expected conv_layers ≥ 2 (one before the edge update), found " +
                     std::to_string(c.conv_layers));
  atom_features_ = this->add(
      "atom_features", std::make_shared<Embedding<T>>(c.num_species, c.atom_input_features, rng));
  atom_embedding_ =
      this->add("atom_embedding",
                std::make_shared<Linear<T>>(c.atom_input_features, c.node_features, true, rng));
  rbf_ = this->add(
      "rbf", std::make_shared<RbfEmbedding<T>>(crystal::kDistanceRbfMin, crystal::kDistanceRbfMax,
                                               c.edge_features, c.node_features, rng));
  rbf_angle_ = this->add("rbf_angle", std::make_shared<RbfEmbedding<T>>(
                                          crystal::kCosineRbfMin, crystal::kCosineRbfMax,
                                          c.triplet_input_features, c.node_features, rng));
  auto layers = this->add("att_layers", std::make_shared<Holder<T>>());
  for (Index k = 0; k < c.conv_layers; ++k)
    att_layers_.push_back(
        layers->add(std::to_string(k), std::make_shared<ComformerConv<T>>(c.node_features, rng)));
  edge_update_ =
      this->add("edge_update_layer", std::make_shared<ComformerConvEdge<T>>(c.node_features, rng));
  auto fc = this->add("fc", std::make_shared<Holder<T>>());
  fc_ = fc->add("0", std::make_shared<Linear<T>>(c.node_features, c.fc_features, true, rng));
  fc_out_ =
      this->add("fc_out", std::make_shared<Linear<T>>(c.fc_features, c.output_features, true, rng));
}

template <class T>
Tensor<T> IComformer<T>::forward(const GraphBatch<T>& g) {
  return readout(node_embeddings(g), g);
}

template <class T>
Tensor<T> IComformer<T>::node_embeddings(const GraphBatch<T>& g) {
  const Index C = config_.node_features;
  Tensor<T> h = embed_atoms(*atom_features_, *atom_embedding_, g);
  Tensor<T> edge = rbf_->forward(g.inverse_distance);
  // The distance embedding (shared with the edges) of the lattice lengths, per graph.
  const Tensor<T> lattice_len =
      reshape(rbf_->forward(g.lattice_inverse_length), {g.num_graphs, 3, C});
  const Tensor<T> angle = reshape(rbf_angle_->forward(g.lattice_cosine), {g.num_edges, 3, C});
  h = att_layers_[0]->forward(h, g, edge);
  edge = edge_update_->forward(edge, g, lattice_len, angle);
  for (std::size_t k = 1; k < att_layers_.size(); ++k)
    h = att_layers_[k]->forward(h, g, edge);
  return h;
}

template <class T>
Tensor<T> IComformer<T>::readout(const Tensor<T>& h, const GraphBatch<T>& g) const {
  return fc_out_->forward(silu(fc_->forward(mean_pool(h, g))));
}

#define PF_INSTANTIATE(T)                                                                      \
  template class IComformer<T>;                                                                \
  template Tensor<T> embed_atoms(const Embedding<T>&, const Linear<T>&, const GraphBatch<T>&); \
  template Tensor<T> mean_pool(const Tensor<T>&, const GraphBatch<T>&);
PF_INSTANTIATE(float)
PF_INSTANTIATE(double)
#undef PF_INSTANTIATE

}  // namespace pf::comformer
