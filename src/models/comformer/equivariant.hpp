// eComFormer's equivariant node update (divelab/AIRS transformer.py ComformerConvEqui and its
// TensorProductConvLayer), named like the reference's state_dict.
#pragma once

#include "models/comformer/layers.hpp"
#include "models/comformer/tensor_product.hpp"

#include <memory>

namespace pf::comformer {

// h' = mean over the edges leaving each node of TP(h[dst], Y(r), w(edge)), plus h zero-padded
// when `residual`; w = fc(edge) with fc = Sequential(Linear(Ce → Ce), Softplus,
// Linear(Ce → weight_numel)): "fc.0", "fc.2".
template <class T>
class TensorProductConvLayer : public Holder<T> {
 public:
  TensorProductConvLayer(const Irreps& in, const Irreps& out, Index edge_features, bool residual,
                         Rng& rng);
  // h [N, dim in], edge [E, Ce], sh [E, 9] → [N, dim out]
  Tensor<T> forward(const Tensor<T>& h, const GraphBatch<T>& g, const Tensor<T>& edge,
                    const Tensor<T>& sh) const;

 private:
  FullyConnectedTensorProduct<T> tp_;
  std::shared_ptr<Linear<T>> fc0_, fc2_;
  bool residual_;
};

// Linear(C → ns) → TP conv to ns×0e + nv×1o + nv×2e (residual) → TP conv to ns×0e →
// BatchNorm → softplus → Linear(ns → C) → softplus, plus skip_linear(h).
template <class T>
class ComformerConvEqui : public Holder<T> {
 public:
  ComformerConvEqui(Index channels, Index edge_features, Index scalars, Index vectors, Rng& rng);
  // h [N, C], edge [E, Ce] → [N, C]
  Tensor<T> forward(const Tensor<T>& h, const GraphBatch<T>& g, const Tensor<T>& edge);

 private:
  std::shared_ptr<Linear<T>> node_linear_, skip_linear_, node_linear_2_;
  std::shared_ptr<TensorProductConvLayer<T>> layer1_, layer2_;
  std::shared_ptr<BatchNorm<T>> bn_;
};

}  // namespace pf::comformer
