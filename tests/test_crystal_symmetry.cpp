// spglib through pf::crystal: space-group numbers, primitive and conventional cells, and the
// reduction's invariance under supercells, rotations and changes of basis.
#include "crystal/lattice.hpp"
#include "crystal/read_structure.hpp"
#include "crystal/symmetry.hpp"
#include "crystal_fixtures.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace {

using namespace pf::crystal;
using pf::testing::crystal_data;

double volume(const Structure& s) {
  return std::abs(determinant(s.lattice));
}

Structure fcc_copper_conventional() {
  Structure s;
  s.id = "Cu";
  s.lattice = cell_from_parameters(3.615, 3.615, 3.615, 90, 90, 90);
  s.species = {29, 29, 29, 29};
  s.frac = {Vec3{0, 0, 0}, Vec3{0, 0.5, 0.5}, Vec3{0.5, 0, 0.5}, Vec3{0.5, 0.5, 0}};
  s.occupancy = {1, 1, 1, 1};
  return s;
}

// n × 1 × 1 supercell.
Structure supercell_a(const Structure& s, int n) {
  Structure out = s;
  out.species.clear();
  out.frac.clear();
  out.occupancy.clear();
  for (int k = 0; k < 3; ++k)
    out.lattice[0][k] *= n;
  for (int i = 0; i < n; ++i) {
    for (std::size_t a = 0; a < s.frac.size(); ++a) {
      out.species.push_back(s.species[a]);
      out.occupancy.push_back(s.occupancy[a]);
      out.frac.push_back({(s.frac[a][0] + i) / n, s.frac[a][1], s.frac[a][2]});
    }
  }
  return out;
}

// Sorted lengths and angles: spglib's idealised cells of equal crystals agree on these.
std::array<double, 6> sorted_parameters(const Structure& s) {
  auto p = cell_parameters(s.lattice);
  std::sort(p.begin(), p.begin() + 3);
  std::sort(p.begin() + 3, p.end());
  return p;
}

// spglib idealises cells to its standard form: parameters of equal crystals agree to rounding
// of the symmetrisation (1e-8 Å and degrees, far below the 1e-3 Å symprec).
constexpr double kCellTol = 1e-8;

void expect_same_cell(const Structure& a, const Structure& b) {
  const auto pa = sorted_parameters(a), pb = sorted_parameters(b);
  for (int k = 0; k < 6; ++k)
    EXPECT_NEAR(pa[k], pb[k], kCellTol) << "parameter " << k;
  EXPECT_EQ(pf::testing::sorted_atoms(a).size(), pf::testing::sorted_atoms(b).size());
}

TEST(CrystalSymmetry, FccCopperReducesToOneAtom) {
  const Structure cu = fcc_copper_conventional();
  const SpaceGroup group = space_group(cu);
  EXPECT_EQ(group.number, 225);
  EXPECT_EQ(group.international, "Fm-3m");
  const Structure prim = primitive_cell(cu);
  ASSERT_EQ(prim.frac.size(), 1u);
  EXPECT_EQ(prim.species[0], 29);
  EXPECT_NEAR(volume(prim), std::pow(3.615, 3) / 4, 1e-9);
  EXPECT_EQ(prim.id, "Cu");
  const Structure back = conventional_cell(prim);
  EXPECT_EQ(back.frac.size(), 4u);
  EXPECT_NEAR(volume(back), std::pow(3.615, 3), 1e-9);
}

TEST(CrystalSymmetry, SpaceGroupsOfTheTestFiles) {
  const Structure nacl = read_structure(crystal_data("NaCl.cif"));
  EXPECT_EQ(space_group(nacl).number, 225);
  const Structure nacl_prim = primitive_cell(nacl);
  EXPECT_EQ(nacl_prim.frac.size(), 2u);
  EXPECT_NEAR(volume(nacl_prim), volume(nacl) / 4, 1e-9);

  const Structure rutile = read_structure(crystal_data("rutile_TiO2.cif"));
  const SpaceGroup r = space_group(rutile);
  EXPECT_EQ(r.number, 136);
  EXPECT_EQ(r.international, "P4_2/mnm");
  EXPECT_EQ(primitive_cell(rutile).frac.size(), 6u);

  EXPECT_EQ(space_group(read_structure(crystal_data("POSCAR_vasp4_CsCl"))).number, 221);
  const auto ase = read_structures(crystal_data("tiny_ase.json"));
  EXPECT_EQ(space_group(ase[0]).number, 227);  // diamond Si
  EXPECT_EQ(space_group(ase[1]).number, 229);  // bcc Fe
  EXPECT_EQ(conventional_cell(ase[0]).frac.size(), 8u);
}

TEST(CrystalSymmetry, PrimitiveCellIsInvariantUnderSupercellRotationAndBasisChange) {
  const Structure rutile = read_structure(crystal_data("rutile_TiO2.cif"));
  const Structure reference = primitive_cell(rutile);
  expect_same_cell(primitive_cell(supercell_a(rutile, 3)), reference);

  // Rotate cell and atoms together (fractional coordinates unchanged) by 30° about z and
  // 50° about x, then re-base with a unimodular matrix (a' = a + b, b' = b, c' = c − a).
  Structure moved = rutile;
  const double c1 = std::cos(0.5235987755982988), s1 = std::sin(0.5235987755982988);
  const double c2 = std::cos(0.8726646259971648), s2 = std::sin(0.8726646259971648);
  const Mat3 rz{Vec3{c1, s1, 0}, Vec3{-s1, c1, 0}, Vec3{0, 0, 1}};
  const Mat3 rx{Vec3{1, 0, 0}, Vec3{0, c2, s2}, Vec3{0, -s2, c2}};
  moved.lattice = multiply(multiply(rutile.lattice, rz), rx);
  const Mat3 basis{Vec3{1, 1, 0}, Vec3{0, 1, 0}, Vec3{-1, 0, 1}};
  const Mat3 new_lattice = multiply(basis, moved.lattice);
  const Mat3 new_inverse = inverse(new_lattice);
  for (auto& f : moved.frac)
    f = wrap_frac(cart_to_frac(frac_to_cart(f, moved.lattice), new_inverse));
  moved.lattice = new_lattice;
  EXPECT_EQ(space_group(moved).number, 136);
  expect_same_cell(primitive_cell(moved), reference);
}

TEST(CrystalSymmetry, OccupancyKeepsSitesApart) {
  Structure s;
  s.id = "two sites";
  s.lattice = cell_from_parameters(6.0, 3.0, 3.0, 90, 90, 90);
  s.species = {29, 29};
  s.frac = {Vec3{0, 0, 0}, Vec3{0.5, 0, 0}};
  s.occupancy = {1.0, 1.0};
  EXPECT_EQ(primitive_cell(s).frac.size(), 1u);
  s.occupancy = {1.0, 0.75};
  const Structure prim = primitive_cell(s);
  ASSERT_EQ(prim.frac.size(), 2u);
  std::vector<double> occ = prim.occupancy;
  std::sort(occ.begin(), occ.end());
  EXPECT_EQ(occ, (std::vector<double>{0.75, 1.0}));
}

}  // namespace
