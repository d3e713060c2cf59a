// Ewald summation against Madelung constants, and its independence of the splitting parameter
// and of the cell chosen for the crystal.
#include "crystal/ewald.hpp"
#include "crystal/lattice.hpp"
#include "crystal_fixtures.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

namespace {

using namespace pf::crystal;

struct Cell {
  Mat3 lattice;
  std::vector<Vec3> frac;
  std::vector<double> q;
};

Mat3 cubic(double a) {
  return cell_from_parameters(a, a, a, 90, 90, 90);
}

// Rock salt, conventional cell of side a: nearest neighbours at a/2.
Cell rock_salt(double a) {
  Cell c{cubic(a), {}, {}};
  const std::vector<Vec3> fcc = {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}};
  for (const auto& f : fcc) {
    c.frac.push_back(f);
    c.q.push_back(1.0);
    c.frac.push_back({f[0] + 0.5, f[1], f[2]});
    c.q.push_back(-1.0);
  }
  return c;
}

// Zinc blende, conventional cell of side a: nearest neighbours at a√3/4.
Cell zinc_blende(double a) {
  Cell c{cubic(a), {}, {}};
  const std::vector<Vec3> fcc = {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}};
  for (const auto& f : fcc) {
    c.frac.push_back(f);
    c.q.push_back(2.0);
    c.frac.push_back({f[0] + 0.25, f[1] + 0.25, f[2] + 0.25});
    c.q.push_back(-2.0);
  }
  return c;
}

// The Madelung constant M of a binary crystal with charges ±z: E per ion pair = −M z²/r₀.
double madelung(const Cell& c, double r0, double z) {
  const double pairs = static_cast<double>(c.frac.size()) / 2.0;
  return -ewald_energy(c.lattice, c.frac, c.q).energy / pairs * r0 / (z * z);
}

// The constants are known to 7 digits (e.g. NaCl 1.74756459…); the sum is converged to 1e-12,
// so the only gap is the rounding of the quoted values, below 1e-6.
constexpr double kMadelungTol = 1e-6;

TEST(CrystalEwald, MadelungConstants) {
  EXPECT_NEAR(madelung(rock_salt(2.0), 1.0, 1.0), 1.747565, kMadelungTol);
  EXPECT_NEAR(madelung(rock_salt(5.64), 2.82, 1.0), 1.747565, kMadelungTol);
  const double a_cscl = 3.0;
  const Cell cscl{cubic(a_cscl), {{0, 0, 0}, {0.5, 0.5, 0.5}}, {1.0, -1.0}};
  EXPECT_NEAR(madelung(cscl, a_cscl * std::sqrt(3.0) / 2.0, 1.0), 1.762675, kMadelungTol);
  EXPECT_NEAR(madelung(zinc_blende(5.41), 5.41 * std::sqrt(3.0) / 4.0, 2.0), 1.638055,
              kMadelungTol);
}

TEST(CrystalEwald, SiteEnergiesSumAndAreEqualOnEquivalentSites) {
  const Cell c = rock_salt(2.0);
  const auto r = ewald_energy(c.lattice, c.frac, c.q);
  EXPECT_NEAR(std::accumulate(r.site_energy.begin(), r.site_energy.end(), 0.0), r.energy, 1e-12);
  // Every ion of rock salt sits in the same environment: −M/2 each (r₀ = 1).
  for (double e : r.site_energy)
    EXPECT_NEAR(e, -1.747565 / 2.0, kMadelungTol);
}

TEST(CrystalEwald, IndependentOfAlphaAndCellChoice) {
  // A low-symmetry neutral cell: three charges of different size.
  const Mat3 l = cell_from_parameters(4.1, 5.3, 6.2, 75, 98, 112);
  const std::vector<Vec3> frac = {{0.1, 0.2, 0.3}, {0.6, 0.5, 0.9}, {0.35, 0.85, 0.45}};
  const std::vector<double> q = {2.0, -1.5, -0.5};
  const auto ref = ewald_energy(l, frac, q);
  // Relative 1e-10: the sum is converged to 1e-12 per term at every α; moving α by ×0.6 and
  // ×1.8 shifts thousands of terms between the two sums, which agree to rounding.
  for (double factor : {0.6, 1.8}) {
    EwaldOptions o;
    o.alpha = ref.alpha * factor;
    EXPECT_NEAR(ewald_energy(l, frac, q, o).energy, ref.energy, 1e-10 * std::abs(ref.energy))
        << "alpha ×" << factor;
  }
  // Re-based (unimodular), rotated, and a 2×1×1 supercell (twice the energy).
  const Mat3 basis{Vec3{1, 1, 0}, Vec3{0, 1, 0}, Vec3{-1, 0, 1}};
  const double c = std::cos(0.7), s = std::sin(0.7);
  const Mat3 rot{Vec3{c, s, 0}, Vec3{-s, c, 0}, Vec3{0, 0, 1}};
  const Mat3 moved = multiply(multiply(basis, l), rot);
  const Mat3 moved_inv = inverse(moved);
  std::vector<Vec3> moved_frac;
  for (const auto& f : frac) {
    Vec3 r = frac_to_cart(f, l);
    r = {r[0] * c - r[1] * s, r[0] * s + r[1] * c, r[2]};  // r·rot for a row vector r
    moved_frac.push_back(wrap_frac(cart_to_frac(r, moved_inv)));
  }
  EXPECT_NEAR(ewald_energy(moved, moved_frac, q).energy, ref.energy, 1e-10 * std::abs(ref.energy));
  Mat3 super = l;
  for (double& v : super[0])
    v *= 2.0;
  std::vector<Vec3> super_frac;
  std::vector<double> super_q;
  for (int copy = 0; copy < 2; ++copy)
    for (std::size_t a = 0; a < frac.size(); ++a) {
      super_frac.push_back({(frac[a][0] + copy) / 2.0, frac[a][1], frac[a][2]});
      super_q.push_back(q[a]);
    }
  EXPECT_NEAR(ewald_energy(super, super_frac, super_q).energy, 2.0 * ref.energy,
              1e-10 * std::abs(ref.energy));
}

TEST(CrystalEwald, RefusesChargedCells) {
  pf::testing::expect_input_error(
      [] {
        ewald_energy(cubic(3.0), {{0, 0, 0}, {0.5, 0.5, 0.5}}, {1.0, -0.5});
      },
      {"net charge of 0.5"});
  pf::testing::expect_input_error(
      [] {
        ewald_energy(cubic(3.0), {{0, 0, 0}, {1, 0, 0}}, {1.0, -1.0});
      },
      {"atoms 0 and 1 coincide"});
}

}  // namespace
