// eComFormer (divelab/AIRS comformer.py eComformer): node attention, one equivariant update
// with spherical harmonics and Clebsch–Gordan tensor products, node attention, mean-pooled
// readout. The released model ("eComFormer-half" in the paper's tables, 5.6M parameters).
#pragma once

#include "models/comformer/config.hpp"
#include "models/comformer/equivariant.hpp"
#include "models/comformer/layers.hpp"

#include <memory>
#include <vector>

namespace pf::comformer {

template <class T>
class EComformer : public Holder<T> {
 public:
  EComformer(const ComformerConfig& config, Rng& rng);
  // One prediction per graph: [G, output_features].
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
  std::shared_ptr<RbfEmbedding<T>> rbf_;
  std::vector<std::shared_ptr<ComformerConv<T>>> att_layers_;
  std::shared_ptr<ComformerConvEqui<T>> equi_update_;
};

}  // namespace pf::comformer
