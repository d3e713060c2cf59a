#include "crystal/graph_features.hpp"

#include "core/error.hpp"
#include "kernels/crystal.hpp"

#include <algorithm>
#include <cmath>

namespace pf::crystal {

EdgeScalars comformer_edge_scalars(const PeriodicGraph& g) {
  const Index E = g.num_edges();
  const std::vector<Index> graph_of = g.edge_graph();
  EdgeScalars s;
  s.inverse_distance.resize(E);
  s.lattice_inverse_length.resize(3 * E);
  s.lattice_cosine.resize(3 * E);
  for (Index e = 0; e < E; ++e) {
    const double* r = &g.displacement[3 * e];
    const double len = std::sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
    s.inverse_distance[e] = -0.75 / len;
    for (int k = 0; k < 3; ++k) {
      const double* l = &g.lattice[9 * graph_of[e] + 3 * k];
      const double lat_len = std::sqrt(l[0] * l[0] + l[1] * l[1] + l[2] * l[2]);
      s.lattice_inverse_length[3 * e + k] = -0.75 / lat_len;
      const double c = (l[0] * r[0] + l[1] * r[1] + l[2] * r[2]) / (lat_len * len);
      s.lattice_cosine[3 * e + k] = std::clamp(c, -1.0, 1.0);
    }
  }
  return s;
}

template <class T>
Tensor<T> gaussian_expansion(const Tensor<T>& x, double vmin, double vmax, Index bins) {
  if (x.ndim() != 1 || bins < 2 || !(vmax > vmin))
    throw ShapeError("gaussian_expansion: expected x [n], bins ≥ 2 and vmax > vmin, found x " +
                     to_string(x.shape()) + ", bins " + std::to_string(bins));
  const double step = (vmax - vmin) / double(bins - 1);
  const Index n = x.dim(0);
  Tensor<T> out = Tensor<T>::empty({n, bins});
  kern::gaussian_expansion<T>(x.data(), T(vmin), T(step), T(1.0 / step), out.data(), n, bins);
  return out;
}

template Tensor<float> gaussian_expansion(const Tensor<float>&, double, double, Index);
template Tensor<double> gaussian_expansion(const Tensor<double>&, double, double, Index);

}  // namespace pf::crystal
