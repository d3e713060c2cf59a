#include "models/comformer/graph_batch.hpp"

#include "core/error.hpp"
#include "crystal/graph_features.hpp"
#include "tensor/ops.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace pf::comformer {
namespace {

template <class T>
Tensor<T> upload(const Shape& shape, const std::vector<double>& v) {
  return Tensor<T>::from_host(shape, std::vector<T>(v.begin(), v.end()));
}

}  // namespace

template <class T>
GraphBatch<T> make_graph_batch(const crystal::PeriodicGraph& g, Index num_species) {
  GraphBatch<T> b;
  b.num_nodes = g.num_nodes();
  b.num_edges = g.num_edges();
  b.num_graphs = g.num_graphs();
  std::vector<Index> species(g.species.begin(), g.species.end());
  for (Index i = 0; i < b.num_nodes; ++i)
    if (species[i] < 0 || species[i] >= num_species)
      throw InputError(fmt::format("ComFormer: atom {} has Z = {}, expected 0 ≤ Z < {}", i,
                                   species[i], num_species));
  b.species = make_index(species);
  b.src = make_index(g.src);
  b.dst = make_index(g.dst);
  b.node_graph = make_index(g.node_graph());
  b.edge_graph = make_index(g.edge_graph());
  b.displacement = upload<T>({b.num_edges, 3}, g.displacement);
  const crystal::EdgeScalars s = crystal::comformer_edge_scalars(g);
  b.inverse_distance = upload<T>({b.num_edges}, s.inverse_distance);
  b.lattice_cosine = upload<T>({3 * b.num_edges}, s.lattice_cosine);
  std::vector<double> inverse_count(b.num_graphs);
  for (Index k = 0; k < b.num_graphs; ++k)
    inverse_count[k] = 1.0 / double(g.node_offsets[k + 1] - g.node_offsets[k]);
  b.lattice_inverse_length = upload<T>({3 * b.num_graphs}, crystal::lattice_inverse_length(g));
  b.inverse_node_count = upload<T>({b.num_graphs, 1}, inverse_count);
  // torch_scatter's mean divides by max(count, 1): a node without edges gets 0.
  std::vector<double> out_degree(b.num_nodes, 0.0);
  for (Index s : g.src)
    out_degree[s] += 1;
  for (double& d : out_degree)
    d = 1.0 / std::max(d, 1.0);
  b.inverse_out_degree = upload<T>({b.num_nodes, 1}, out_degree);
  return b;
}

template GraphBatch<float> make_graph_batch<float>(const crystal::PeriodicGraph&, Index);
template GraphBatch<double> make_graph_batch<double>(const crystal::PeriodicGraph&, Index);

}  // namespace pf::comformer
