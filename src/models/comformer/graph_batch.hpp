// A batch of periodic graphs on the device, with the geometric scalars ComFormer reads.
#pragma once

#include "crystal/periodic_graph.hpp"
#include "tensor/tensor.hpp"

namespace pf::comformer {

template <class T>
struct GraphBatch {
  Index num_nodes = 0, num_edges = 0, num_graphs = 0;
  IndexVec species;                  // [N] Z
  IndexVec src, dst;                 // [E] messages flow src → dst
  IndexVec node_graph, edge_graph;   // [N], [E]
  Tensor<T> displacement;            // [E, 3] r (Å), from src to dst
  Tensor<T> inverse_distance;        // [E] −0.75 / |r|
  Tensor<T> lattice_inverse_length;  // [G·3] −0.75 / |lat_k|
  Tensor<T> lattice_cosine;          // [E·3] cos(r, lat_k)
  Tensor<T> inverse_node_count;      // [G, 1] 1 / atoms per graph (mean pooling)
  Tensor<T> inverse_out_degree;      // [N, 1] 1 / edges leaving each node (mean over src)
};

// Throws InputError if a species is outside [0, num_species).
template <class T>
GraphBatch<T> make_graph_batch(const crystal::PeriodicGraph& g, Index num_species);

}  // namespace pf::comformer
