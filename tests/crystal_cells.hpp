// Small crystals and the symmetry operations the crystal tests apply to them.
#pragma once

#include "core/rng.hpp"
#include "crystal/structure.hpp"

#include <array>
#include <cmath>
#include <vector>

namespace pf::test {

using Mat3d = std::array<std::array<double, 3>, 3>;

inline crystal::Structure make_structure(const Mat3d& lattice, std::vector<int> species,
                                         std::vector<std::array<double, 3>> frac) {
  crystal::Structure s;
  s.id = "test";
  s.lattice = lattice;
  s.species = std::move(species);
  s.frac = std::move(frac);
  s.occupancy.assign(s.species.size(), 1.0);
  return s;
}

inline crystal::Structure simple_cubic(double a) {
  return make_structure({{{a, 0, 0}, {0, a, 0}, {0, 0, a}}}, {29}, {{0, 0, 0}});
}

inline crystal::Structure fcc_primitive(double a) {
  const double h = a / 2;
  return make_structure({{{0, h, h}, {h, 0, h}, {h, h, 0}}}, {29}, {{0, 0, 0}});
}

inline crystal::Structure fcc_conventional(double a) {
  return make_structure({{{a, 0, 0}, {0, a, 0}, {0, 0, a}}}, {29, 29, 29, 29},
                        {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}});
}

// A cell with no equal lengths or right angles, three atoms of two species.
inline crystal::Structure triclinic() {
  return make_structure({{{4.1, 0.0, 0.0}, {0.9, 3.7, 0.0}, {-0.6, 1.1, 5.3}}}, {8, 22, 8},
                        {{0.05, 0.10, 0.20}, {0.43, 0.61, 0.37}, {0.81, 0.29, 0.74}});
}

inline Mat3d matmul3(const Mat3d& a, const Mat3d& b) {
  Mat3d c{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 3; ++k)
        c[i][j] += a[i][k] * b[k][j];
  return c;
}

// A uniformly random proper rotation from a random unit quaternion.
inline Mat3d random_rotation(std::uint64_t seed) {
  Rng rng(seed);
  double q[4], n = 0;
  for (double& v : q) {
    v = rng.normal();
    n += v * v;
  }
  n = std::sqrt(n);
  const double w = q[0] / n, x = q[1] / n, y = q[2] / n, z = q[3] / n;
  return {{{1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)},
           {2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)},
           {2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)}}};
}

// Cartesian positions rotate as x → R x: lattice rows a → R a, fractions unchanged.
inline crystal::Structure rotated(crystal::Structure s, const Mat3d& R) {
  Mat3d Rt{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      Rt[i][j] = R[j][i];
  s.lattice = matmul3(s.lattice, Rt);
  return s;
}

inline double wrap01(double f) {
  return f - std::floor(f);
}

inline crystal::Structure translated(crystal::Structure s, const std::array<double, 3>& t) {
  for (auto& f : s.frac)
    for (int a = 0; a < 3; ++a)
      f[a] = wrap01(f[a] + t[a]);
  return s;
}

// Atom perm[i] of the result is atom i of s.
inline crystal::Structure permuted(const crystal::Structure& s, const std::vector<int>& perm) {
  crystal::Structure p = s;
  for (std::size_t i = 0; i < perm.size(); ++i) {
    p.species[perm[i]] = s.species[i];
    p.frac[perm[i]] = s.frac[i];
  }
  return p;
}

// New basis rows U·L (U integer, det ±1); fractions f' = f U⁻¹, wrapped.
inline crystal::Structure rebased(crystal::Structure s, const Mat3d& U, const Mat3d& U_inverse) {
  s.lattice = matmul3(U, s.lattice);
  for (auto& f : s.frac) {
    std::array<double, 3> g{};
    for (int b = 0; b < 3; ++b)
      for (int a = 0; a < 3; ++a)
        g[b] += f[a] * U_inverse[a][b];
    for (int b = 0; b < 3; ++b)
      f[b] = wrap01(g[b]);
  }
  return s;
}

// An n0 × n1 × n2 supercell.
inline crystal::Structure supercell(const crystal::Structure& s, const std::array<int, 3>& n) {
  crystal::Structure big = s;
  big.species.clear();
  big.frac.clear();
  for (int a = 0; a < 3; ++a)
    for (int k = 0; k < 3; ++k)
      big.lattice[a][k] = s.lattice[a][k] * n[a];
  for (int i0 = 0; i0 < n[0]; ++i0)
    for (int i1 = 0; i1 < n[1]; ++i1)
      for (int i2 = 0; i2 < n[2]; ++i2)
        for (std::size_t i = 0; i < s.species.size(); ++i) {
          big.species.push_back(s.species[i]);
          big.frac.push_back(
              {(s.frac[i][0] + i0) / n[0], (s.frac[i][1] + i1) / n[1], (s.frac[i][2] + i2) / n[2]});
        }
  big.occupancy.assign(big.species.size(), 1.0);
  return big;
}

}  // namespace pf::test
