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
  s.lattice_cosine.resize(3 * E);
  for (Index e = 0; e < E; ++e) {
    const double* r = &g.displacement[3 * e];
    const double len = std::sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
    s.inverse_distance[e] = -0.75 / len;
    for (int k = 0; k < 3; ++k) {
      const double* l = &g.lattice[9 * graph_of[e] + 3 * k];
      const double lat_len = std::sqrt(l[0] * l[0] + l[1] * l[1] + l[2] * l[2]);
      const double c = (l[0] * r[0] + l[1] * r[1] + l[2] * r[2]) / (lat_len * len);
      s.lattice_cosine[3 * e + k] = std::clamp(c, -1.0, 1.0);
    }
  }
  return s;
}

std::vector<double> lattice_inverse_length(const PeriodicGraph& g) {
  std::vector<double> out(3 * g.num_graphs());
  for (Index k = 0; k < 3 * g.num_graphs(); ++k) {
    const double* l = &g.lattice[3 * k];
    out[k] = -0.75 / std::sqrt(l[0] * l[0] + l[1] * l[1] + l[2] * l[2]);
  }
  return out;
}

template <class T>
Tensor<T> rbf_centers(double vmin, double vmax, Index bins) {
  if (bins < 2 || !(vmax > vmin))
    throw ShapeError("rbf_centers: expected bins ≥ 2 and vmax > vmin, found bins " +
                     std::to_string(bins) + " on [" + std::to_string(vmin) + ", " +
                     std::to_string(vmax) + "]");
  std::vector<T> c(bins);
  for (Index b = 0; b < bins; ++b)
    c[b] = T(vmin + (vmax - vmin) * double(b) / double(bins - 1));
  return Tensor<T>::from_host({bins}, c);
}

double rbf_gamma(double vmin, double vmax, Index bins) {
  return double(bins - 1) / (vmax - vmin);
}

template <class T>
Tensor<T> gaussian_expansion(const Tensor<T>& x, const Tensor<T>& centers, double gamma) {
  if (x.ndim() != 1 || centers.ndim() != 1)
    throw ShapeError("gaussian_expansion: expected x [n] and centers [bins], found x " +
                     to_string(x.shape()) + ", centers " + to_string(centers.shape()));
  const Index n = x.dim(0), bins = centers.dim(0);
  Tensor<T> out = Tensor<T>::empty({n, bins});
  kern::gaussian_expansion<T>(x.data(), centers.data(), T(gamma), out.data(), n, bins);
  return out;
}

#define PF_INSTANTIATE(T)                                   \
  template Tensor<T> rbf_centers<T>(double, double, Index); \
  template Tensor<T> gaussian_expansion(const Tensor<T>&, const Tensor<T>&, double);
PF_INSTANTIATE(float)
PF_INSTANTIATE(double)
#undef PF_INSTANTIATE

}  // namespace pf::crystal
