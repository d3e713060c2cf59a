// iComFormer (divelab/AIRS comformer.py iComformer): invariant node attention with a one-time
// edge update from the lattice representation, mean-pooled readout.
#pragma once

#include "models/comformer/config.hpp"
#include "models/comformer/layers.hpp"

#include <memory>
#include <vector>

namespace pf::comformer {

template <class T>
class IComformer : public Holder<T> {
 public:
  IComformer(const ComformerConfig& config, Rng& rng);
  // One prediction per graph: [G, output_features]. Batch norms use batch statistics and update
  // their running ones in training mode (set_training), the running ones in eval.
  Tensor<T> forward(const GraphBatch<T>& g);
  // The node features the readout pools, [N, node_features]; forward(g) is
  // readout(node_embeddings(g), g). Per-atom attributions start from these.
  Tensor<T> node_embeddings(const GraphBatch<T>& g);
  // Mean pool → Linear + SiLU → Linear: [N, C] → [G, output_features].
  Tensor<T> readout(const Tensor<T>& h, const GraphBatch<T>& g) const;
  const ComformerConfig& config() const { return config_; }

 private:
  ComformerConfig config_;
  std::shared_ptr<Embedding<T>> atom_features_;
  std::shared_ptr<Linear<T>> atom_embedding_, fc_, fc_out_;
  std::shared_ptr<RbfEmbedding<T>> rbf_, rbf_angle_;
  std::vector<std::shared_ptr<ComformerConv<T>>> att_layers_;
  std::shared_ptr<ComformerConvEdge<T>> edge_update_;
};

// Node features before the first layer: atom_embedding(atom_features[Z]). [N, C]
template <class T>
Tensor<T> embed_atoms(const Embedding<T>& table, const Linear<T>& embedding,
                      const GraphBatch<T>& g);
// Mean over each graph's nodes: [N, C] → [G, C].
template <class T>
Tensor<T> mean_pool(const Tensor<T>& h, const GraphBatch<T>& g);

}  // namespace pf::comformer
