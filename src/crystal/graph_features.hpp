// ComFormer's edge inputs (divelab/AIRS comformer.py, models/utils.py RBFExpansion): the
// inverse-distance transform of edge and lattice lengths, the cosines between each edge and
// the lattice vectors of its graph, and the Gaussian expansion that feeds them to the network.
#pragma once

#include "crystal/periodic_graph.hpp"
#include "tensor/tensor.hpp"

#include <vector>

namespace pf::crystal {

struct EdgeScalars {
  std::vector<double> inverse_distance;  // [E] −0.75 / |r|
  std::vector<double> lattice_cosine;    // [E, 3] clamp(lat_k·r / (|lat_k| |r|), −1, 1)
};
EdgeScalars comformer_edge_scalars(const PeriodicGraph& g);
// [G, 3] −0.75 / |lat_k|: the reference gives every edge its graph's copy; one per graph here.
std::vector<double> lattice_inverse_length(const PeriodicGraph& g);

// The reference's RBFExpansion: exp(−γ (x − c_b)²) with centres c = linspace(vmin, vmax, bins)
// and γ = 1/Δ, Δ the spacing of the centres (not 1/Δ²). Geometry is an input, so no gradient
// flows to x. x: [n], centers: [bins] → [n, bins]
template <class T>
Tensor<T> gaussian_expansion(const Tensor<T>& x, const Tensor<T>& centers, double gamma);
// linspace(vmin, vmax, bins) and its γ.
template <class T>
Tensor<T> rbf_centers(double vmin, double vmax, Index bins);
double rbf_gamma(double vmin, double vmax, Index bins);

// The two expansions ComFormer uses: distances on [−4, 0] (γ = 63.75 for 256 bins) and cosines
// on [−1, 1] (γ = 127.5).
inline constexpr double kDistanceRbfMin = -4.0, kDistanceRbfMax = 0.0;
inline constexpr double kCosineRbfMin = -1.0, kCosineRbfMax = 1.0;

}  // namespace pf::crystal
