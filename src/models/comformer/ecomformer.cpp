#include "models/comformer/ecomformer.hpp"

#include "core/error.hpp"
#include "crystal/graph_features.hpp"
#include "models/comformer/icomformer.hpp"

namespace pf::comformer {

template <class T>
EComformer<T>::EComformer(const ComformerConfig& c, Rng& rng) : config_(c) {
  if (c.conv_layers < 2)
    throw InputError(
        "eComformer: expected conv_layers ≥ 2 (one before the equivariant update), "
        "found " +
        std::to_string(c.conv_layers));
  atom_features_ = this->add(
      "atom_features", std::make_shared<Embedding<T>>(c.num_species, c.atom_input_features, rng));
  atom_embedding_ =
      this->add("atom_embedding",
                std::make_shared<Linear<T>>(c.atom_input_features, c.node_features, true, rng));
  rbf_ = this->add(
      "rbf", std::make_shared<RbfEmbedding<T>>(crystal::kDistanceRbfMin, crystal::kDistanceRbfMax,
                                               c.edge_features, c.node_features, rng));
  auto layers = this->add("att_layers", std::make_shared<Holder<T>>());
  for (Index k = 0; k < c.conv_layers; ++k)
    att_layers_.push_back(
        layers->add(std::to_string(k), std::make_shared<ComformerConv<T>>(c.node_features, rng)));
  equi_update_ = this->add(
      "equi_update", std::make_shared<ComformerConvEqui<T>>(c.node_features, c.node_features,
                                                            c.equi_scalars, c.equi_vectors, rng));
  auto fc = this->add("fc", std::make_shared<Holder<T>>());
  fc_ = fc->add("0", std::make_shared<Linear<T>>(c.node_features, c.fc_features, true, rng));
  fc_out_ =
      this->add("fc_out", std::make_shared<Linear<T>>(c.fc_features, c.output_features, true, rng));
}

template <class T>
Tensor<T> EComformer<T>::forward(const GraphBatch<T>& g) {
  return readout(node_embeddings(g), g);
}

template <class T>
Tensor<T> EComformer<T>::node_embeddings(const GraphBatch<T>& g) {
  Tensor<T> h = embed_atoms(*atom_features_, *atom_embedding_, g);
  const Tensor<T> edge = rbf_->forward(g.inverse_distance);
  h = att_layers_[0]->forward(h, g, edge);
  h = equi_update_->forward(h, g, edge);
  for (std::size_t k = 1; k < att_layers_.size(); ++k)
    h = att_layers_[k]->forward(h, g, edge);
  return h;
}

template <class T>
Tensor<T> EComformer<T>::readout(const Tensor<T>& h, const GraphBatch<T>& g) const {
  return fc_out_->forward(silu(fc_->forward(mean_pool(h, g))));
}

template class EComformer<float>;
template class EComformer<double>;

}  // namespace pf::comformer
