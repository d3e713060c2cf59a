// ComFormer's invariant layers as Modules named like the reference's state_dict
// (divelab/AIRS comformer/models/transformer.py, comformer.py).
#pragma once

#include "models/comformer/graph_batch.hpp"
#include "nn/layers.hpp"

#include <array>
#include <memory>
#include <string>

namespace pf::comformer {

// A module that only names its children (torch's Sequential/ModuleList levels).
template <class T>
class Holder : public Module<T> {
 public:
  template <class M>
  std::shared_ptr<M> add(const std::string& name, std::shared_ptr<M> module) {
    return this->register_module(name, std::move(module));
  }
};

// Sequential(Linear(in → out), SiLU, Linear(out → out)): "0", "2".
template <class T>
class SiluMlp : public Holder<T> {
 public:
  SiluMlp(Index in, Index out, Rng& rng);
  Tensor<T> forward(const Tensor<T>& x) const;  // [..., in] → [..., out]
  // From the first layer's output (computed by the caller in parts): [..., out] → [..., out]
  Tensor<T> forward_from_hidden(const Tensor<T>& pre) const;
  const Linear<T>& first() const { return *first_; }

 private:
  std::shared_ptr<Linear<T>> first_, second_;
};

// The reference's RBFExpansion: buffer "centers" = linspace(vmin, vmax, bins), γ = 1/Δ.
template <class T>
class RbfExpansion : public Module<T> {
 public:
  RbfExpansion(double vmin, double vmax, Index bins);
  Tensor<T> forward(const Tensor<T>& x) const;  // [n] → [n, bins]

 private:
  double gamma_;
  Tensor<T> centers_;
};

// Sequential(RBFExpansion, Linear(bins → out), Softplus): "0.centers", "1.weight", "1.bias".
template <class T>
class RbfEmbedding : public Holder<T> {
 public:
  RbfEmbedding(double vmin, double vmax, Index bins, Index out, Rng& rng);
  Tensor<T> forward(const Tensor<T>& x) const;  // [n] → [n, out]

 private:
  std::shared_ptr<RbfExpansion<T>> expansion_;
  std::shared_ptr<Linear<T>> linear_;
};

// ComformerConv (one head): for an edge j → i with e = lin_edge(edge feature),
//   k' = key_update([k_i, k_j, e]), α = q_i ⊙ k' / √C   (channel-wise, no softmax),
//   m = lin_msg_update([v_i, v_j, e]) ⊙ σ(bn_att(α)),
//   h_i ← softplus(h_i + bn(lin_concate(Σ_j m))).
// The first linear of key_update and lin_msg_update acts on a concatenation; it is applied in
// parts instead — the node parts once per node (N ≪ E), the edge parts of both in one product
// with lin_edge folded in (lin_edge feeds nothing else) — and the parts are summed while
// gathered (edge_ops.hpp). The same function with 4C² instead of 9C² multiply-adds per edge.
template <class T>
class ComformerConv : public Holder<T> {
 public:
  ComformerConv(Index channels, Rng& rng);
  // h [N, C], edge [E, C] → [N, C]; batch norms update their statistics in training.
  Tensor<T> forward(const Tensor<T>& h, const GraphBatch<T>& g, const Tensor<T>& edge);

 private:
  Index channels_;
  std::shared_ptr<Linear<T>> key_, query_, value_, edge_, concate_;
  std::shared_ptr<SiluMlp<T>> msg_update_, key_update_;
  std::shared_ptr<BatchNorm<T>> bn_, bn_att_;
};

// ComformerConv_edge, run once in iComformer: the edge feature is the query; for k = 1..3 the
// keys and values come from k-specific linears on the lattice-length embedding and a bias-free
// linear on the angle embedding; the three messages are summed; e ← softplus(e + bn(·)).
// The reference also registers lemb (Embedding 3×32) and lin_edge_len (Linear 288 → 256) but
// never calls them: they are kept so its checkpoints load and parameter counts agree, and they
// receive no gradient. As in ComformerConv, the concatenations are never built: per-edge,
// per-graph and per-(edge, k) parts of the first linears are computed where they vary, with
// lin_key, lin_value and lin_edge folded into the blocks they feed, and lin_concate applied
// once to the sum over k (it is affine).
template <class T>
class ComformerConvEdge : public Holder<T> {
 public:
  ComformerConvEdge(Index channels, Rng& rng);
  // edge [E, C], lattice_len [G, 3, C] (per graph), angle [E, 3, C] → [E, C]
  Tensor<T> forward(const Tensor<T>& edge, const GraphBatch<T>& g, const Tensor<T>& lattice_len,
                    const Tensor<T>& angle);

 private:
  Index channels_;
  std::shared_ptr<Linear<T>> key_, query_, value_, edge_, concate_;
  std::array<std::shared_ptr<Linear<T>>, 3> key_lat_, value_lat_;
  std::shared_ptr<SiluMlp<T>> msg_update_, key_update_;
  std::shared_ptr<BatchNorm<T>> bn_att_, bn_;
};

}  // namespace pf::comformer
