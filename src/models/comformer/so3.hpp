// The pieces of O(3) eComFormer needs, in e3nn's conventions: real spherical harmonics up to
// l = 2 with "component" normalisation (‖Yˡ‖² = 2l + 1 on the unit sphere; y is the polar axis
// and l = 1 is ordered (x, y, z)), and real Clebsch–Gordan coefficients (e3nn's wigner_3j) in
// the same basis, computed from the complex (Condon–Shortley) ones by Racah's formula and
// e3nn's real ↔ complex change of basis, normalised to unit Frobenius norm.
#pragma once

#include "tensor/tensor.hpp"

#include <vector>

namespace pf::comformer {

inline constexpr int kMaxL = 2;
inline constexpr int kShDim = (kMaxL + 1) * (kMaxL + 1);  // 1 + 3 + 5

// Complex Clebsch–Gordan coefficient ⟨j1 m1; j2 m2 | j3 m3⟩ (Racah's formula).
double clebsch_gordan(int j1, int m1, int j2, int m2, int j3, int m3);

// Real coupling tensor C[i, j, k] ((2l1+1) × (2l2+1) × (2l3+1), row-major) with
// Σ C² = 1 and C invariant under simultaneous rotation of its three indices; zero-size when
// the triangle rule fails.
std::vector<double> wigner_3j(int l1, int l2, int l3);

// Yˡ(r/|r|) for l = 0..2 on the host: out[0] = Y⁰, out[1..3] = Y¹, out[4..8] = Y².
void spherical_harmonics(const double r[3], double out[kShDim]);

// The same for every row of r: [E, 3] → [E, 9]. Geometry is an input: no gradient flows to r.
template <class T>
Tensor<T> spherical_harmonics(const Tensor<T>& r);

}  // namespace pf::comformer
