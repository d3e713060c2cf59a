// Structure readers on small hand-written files: CIF with symmetry expansion, POSCAR variants,
// extended XYZ frames, ASE JSON, and Debian's dcdft.json collection.
#include "crystal/detail/symop.hpp"
#include "crystal/lattice.hpp"
#include "crystal/read_ase_json.hpp"
#include "crystal/read_cif.hpp"
#include "crystal/read_poscar.hpp"
#include "crystal/read_structure.hpp"
#include "crystal/read_xyz.hpp"
#include "crystal_fixtures.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

namespace {

using namespace pf::crystal;
using pf::testing::crystal_data;
using pf::testing::sorted_atoms;

// Coordinates are compared to 1e-9: every file states them to ≥ 4 decimals and the readers only
// apply exact operations (symmetry with fractions, scaling, one 3×3 inverse) in fp64.
constexpr double kTol = 1e-9;

double volume(const Structure& s) {
  return std::abs(determinant(s.lattice));
}

void expect_atom(const Structure& s, std::size_t i, int z, Vec3 f) {
  ASSERT_LT(i, s.frac.size());
  EXPECT_EQ(s.species[i], z) << "atom " << i;
  for (int k = 0; k < 3; ++k)
    EXPECT_NEAR(s.frac[i][k], f[k], kTol) << "atom " << i << " axis " << k;
}

TEST(CrystalElements, SymbolsAndNumbersRoundTrip) {
  for (int z = 1; z <= 118; ++z)
    EXPECT_EQ(atomic_number(element_symbol(z)), z);
  EXPECT_EQ(atomic_number("Fe"), 26);
  EXPECT_EQ(atomic_number("Og"), 118);
  EXPECT_THROW(atomic_number("FE"), pf::InputError);
  EXPECT_THROW(atomic_number("Xx"), pf::InputError);
  EXPECT_THROW(element_symbol(0), pf::InputError);
  EXPECT_THROW(element_symbol(119), pf::InputError);
}

TEST(CrystalLattice, ParametersRoundTripAndPeriodicDistance) {
  const Mat3 l = cell_from_parameters(4.0, 5.0, 6.0, 80.0, 95.0, 110.0);
  const auto p = cell_parameters(l);
  const double expected[6] = {4.0, 5.0, 6.0, 80.0, 95.0, 110.0};
  for (int k = 0; k < 6; ++k)
    EXPECT_NEAR(p[k], expected[k], 1e-10);
  // Points 0.05 and 0.95 along a are 0.1·a apart through the boundary.
  EXPECT_NEAR(periodic_distance(l, {0.05, 0, 0}, {0.95, 0, 0}, 1.0), 0.4, 1e-12);
  // A strongly sheared cell: the shortest vector b − 3a = (−0.1, 1, 0) lies beyond the ±1 box a
  // naive image search scans (which would answer |a| = 3); the plane-spacing bound finds it.
  const Mat3 sheared{Vec3{3.0, 0, 0}, Vec3{8.9, 1.0, 0}, Vec3{0, 0, 10.0}};
  const double shortest = std::sqrt(0.1 * 0.1 + 1.0);
  EXPECT_NEAR(shortest_lattice_vector(sheared, 2.0), shortest, 1e-12);
  // Δf = (½, ½, 0) is (5.95, 0.5, 0) Å; its image two cells back along a is (−0.05, 0.5, 0).
  EXPECT_NEAR(periodic_distance(sheared, {0.1, 0.2, 0.3}, {0.6, 0.7, 0.3}, 2.0),
              std::sqrt(0.05 * 0.05 + 0.25), 1e-12);
}

TEST(CrystalLattice, BinnedClosePairMatchesBruteForce) {
  // Random points in a skewed cell at several thresholds: the binned search finds exactly the
  // pair the double loop over (j, i < j) finds first.
  const Mat3 l = cell_from_parameters(7.0, 9.0, 11.0, 70, 100, 115);
  std::uint64_t state = 12345;
  const auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return double(state >> 11) / double(1ULL << 53);
  };
  std::vector<Vec3> frac(300);
  for (auto& f : frac)
    f = {next(), next(), next()};
  for (double threshold : {0.3, 0.6, 1.2, 4.0}) {
    ClosePair brute{-1, -1, 0.0};
    for (int j = 1; j < 300 && brute.j < 0; ++j)
      for (int i = 0; i < j; ++i) {
        const double d = periodic_distance(l, frac[i], frac[j], threshold);
        if (d < threshold) {
          brute = {i, j, d};
          break;
        }
      }
    const ClosePair binned = first_close_pair(l, frac, threshold);
    EXPECT_EQ(binned.i, brute.i) << threshold;
    EXPECT_EQ(binned.j, brute.j) << threshold;
    if (brute.j >= 0) EXPECT_EQ(binned.distance, brute.distance);
  }
}

TEST(CrystalSymop, ParsesTripletsInAnyForm) {
  const auto op = detail::parse_symop("-Y+1/2, x - y, 0.25+z", "f", 1);
  const Vec3 r = op.apply({0.1, 0.2, 0.3});
  EXPECT_NEAR(r[0], 0.3, 1e-15);
  EXPECT_NEAR(r[1], -0.1, 1e-15);
  EXPECT_NEAR(r[2], 0.55, 1e-15);
  pf::testing::expect_input_error([] { detail::parse_symop("x,y", "ops.cif", 7); },
                                  {"ops.cif:7:", "three"});
  pf::testing::expect_input_error([] { detail::parse_symop("x,y,w", "ops.cif", 8); },
                                  {"ops.cif:8:", "'w'"});
}

TEST(CrystalCif, RockSaltFrom192OperationsDeduplicates) {
  const auto all = read_cif(crystal_data("NaCl.cif"));
  ASSERT_EQ(all.size(), 1u);
  const Structure& s = all[0];
  EXPECT_EQ(s.id, "NaCl.cif");
  EXPECT_NEAR(volume(s), std::pow(5.6402, 3), 1e-9);
  const auto atoms = sorted_atoms(s);
  ASSERT_EQ(atoms.size(), 8u);
  const std::vector<Vec3> fcc = {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}};
  for (int k = 0; k < 4; ++k) {
    EXPECT_EQ(atoms[k].first, 11);
    EXPECT_EQ(atoms[4 + k].first, 17);
  }
  // Na sits on the fcc lattice, Cl on it shifted by (½,½,½); both sorted the same way.
  std::vector<Vec3> na, cl;
  for (int k = 0; k < 4; ++k) {
    na.push_back(atoms[k].second);
    Vec3 shifted{};
    for (int a = 0; a < 3; ++a)
      shifted[a] = std::fmod(atoms[4 + k].second[a] + 0.5, 1.0);
    cl.push_back(shifted);
  }
  std::sort(cl.begin(), cl.end());
  auto sorted_fcc = fcc;
  std::sort(sorted_fcc.begin(), sorted_fcc.end());
  EXPECT_EQ(na, sorted_fcc);
  EXPECT_EQ(cl, sorted_fcc);
  for (double occ : s.occupancy)
    EXPECT_EQ(occ, 1.0);
}

TEST(CrystalCif, RutileWithLegacyTagsQuotesAndOxidationStates) {
  const auto all = read_cif(crystal_data("rutile_TiO2.cif"));
  ASSERT_EQ(all.size(), 1u) << "the data_global block has no structure and is skipped";
  const Structure& s = all[0];
  EXPECT_EQ(s.id, "rutile_TiO2.cif");
  EXPECT_NEAR(volume(s), 4.5937 * 4.5937 * 2.9587, 1e-9);
  ASSERT_EQ(s.frac.size(), 6u);
  const double x = 0.3053;
  expect_atom(s, 0, 22, {0, 0, 0});
  expect_atom(s, 1, 22, {0.5, 0.5, 0.5});
  const auto atoms = sorted_atoms(s);
  std::vector<Vec3> oxygen;
  for (const auto& [z, f] : atoms) {
    if (z == 8) oxygen.push_back(f);
  }
  std::vector<Vec3> expected = {
      {x, x, 0}, {1 - x, 1 - x, 0}, {0.5 - x, 0.5 + x, 0.5}, {0.5 + x, 0.5 - x, 0.5}};
  for (auto& f : expected) {
    for (double& v : f)
      v = std::round(v * 1e6) / 1e6;
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(oxygen, expected);
}

TEST(CrystalCif, PartialOccupancyErrorsByDefaultAndMajorityKeepsTheLargest) {
  pf::testing::expect_input_error(
      [] { read_cif(crystal_data("disordered_alloy.cif")); },
      {"disordered_alloy.cif:17:", "Cu1", "partially occupied", "majority"});
  ReadOptions majority;
  majority.occupancy = OccupancyPolicy::Majority;
  const Structure s = read_cif(crystal_data("disordered_alloy.cif"), majority).at(0);
  // Cu (0.75) wins over Au (0.25) on the shared site; Li at 0.30 is mostly vacant and dropped.
  ASSERT_EQ(s.frac.size(), 2u);
  expect_atom(s, 0, 29, {0, 0, 0});
  expect_atom(s, 1, 8, {0.5, 0.5, 0.5});
  EXPECT_EQ(s.occupancy, (std::vector<double>{0.75, 1.0}));
}

TEST(CrystalCif, OperationsFromTheSpaceGroupName) {
  // F m -3 m by symbol: 4 Cu from one site.
  const Structure cu = read_cif(crystal_data("Cu_symbol_only.cif")).at(0);
  EXPECT_EQ(cu.frac.size(), 4u);
  const std::string cell =
      "data_x\n_cell_length_a {a}\n_cell_length_b {a}\n_cell_length_c {c}\n"
      "_cell_angle_alpha 90\n_cell_angle_beta 90\n_cell_angle_gamma {g}\n";
  const auto with_cell = [&](double a, double c, double g, const std::string& rest) {
    std::string text = cell;
    for (const auto& [key, v] :
         {std::pair<std::string, double>{"{a}", a}, {"{c}", c}, {"{g}", g}}) {
      for (auto at = text.find(key); at != std::string::npos; at = text.find(key)) {
        text.replace(at, key.size(), std::to_string(v));
      }
    }
    return parse_cif(text + rest, "t.cif").at(0);
  };
  const std::string si =
      "loop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n"
      "_atom_site_fract_z\nSi1 0.125 0.125 0.125\n";
  // Diamond Si in origin choice 2 (Si at ⅛,⅛,⅛): 8 atoms, by suffix or by coordinate code.
  EXPECT_EQ(with_cell(5.43, 5.43, 90, "_space_group_name_H-M_alt 'F d -3 m :2'\n" + si).frac.size(),
            8u);
  EXPECT_EQ(
      with_cell(
          5.43, 5.43, 90,
          "_space_group_name_H-M_alt 'F d -3 m'\n_space_group_IT_coordinate_system_code 2\n" + si)
          .frac.size(),
      8u);
  // Rutile by its Hall symbol and by its number: the same 6 atoms as from the operation loop.
  const std::string rutile =
      "loop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n"
      "_atom_site_fract_z\nTi1 0 0 0\nO1 0.3053 0.3053 0\n";
  const auto expected = pf::testing::sorted_atoms(read_cif(crystal_data("rutile_TiO2.cif")).at(0));
  EXPECT_EQ(pf::testing::sorted_atoms(
                with_cell(4.5937, 2.9587, 90, "_space_group_name_Hall '-P 4n 2n'\n" + rutile)),
            expected);
  EXPECT_EQ(pf::testing::sorted_atoms(
                with_cell(4.5937, 2.9587, 90, "_space_group_IT_number 136\n" + rutile)),
            expected);
  // R -3 m on hexagonal axes (a = b, γ = 120°): 3 lattice points per cell, so 3 atoms per site.
  const std::string one_site =
      "loop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n"
      "_atom_site_fract_z\nBi1 0 0 0\n";
  EXPECT_EQ(
      with_cell(4.5, 11.9, 120, "_symmetry_space_group_name_H-M 'R -3 m'\n" + one_site).frac.size(),
      3u);
  // Monoclinic P 21/n: the standard unique-axis-b setting, 4 images of a general position.
  const std::string general =
      "loop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n"
      "_atom_site_fract_z\nC1 0.1 0.2 0.3\n";
  const Structure mono =
      with_cell(5.0, 7.0, 90, "_symmetry_space_group_name_H-M 'P 21/n'\n" + general);
  ASSERT_EQ(mono.frac.size(), 4u);
  // -x+1/2, y+1/2, -z+1/2 maps (0.1, 0.2, 0.3) to (0.4, 0.7, 0.2).
  const auto atoms = pf::testing::sorted_atoms(mono);
  EXPECT_TRUE(std::any_of(atoms.begin(), atoms.end(), [](const auto& a) {
    return std::abs(a.second[0] - 0.4) < 1e-9 && std::abs(a.second[1] - 0.7) < 1e-9 &&
           std::abs(a.second[2] - 0.2) < 1e-9;
  }));
}

TEST(CrystalPoscar, CartesianScaledByTheScaleFactor) {
  const Structure s = read_poscar(crystal_data("NaCl_cartesian.vasp"));
  EXPECT_EQ(s.id, "NaCl_cartesian.vasp");
  EXPECT_NEAR(s.lattice[0][0], 5.6402, 1e-12);
  ASSERT_EQ(s.frac.size(), 8u);
  expect_atom(s, 1, 11, {0, 0.5, 0.5});
  expect_atom(s, 4, 17, {0.5, 0.5, 0.5});
  expect_atom(s, 7, 17, {0, 0, 0.5});
}

TEST(CrystalPoscar, SelectiveDynamicsNegativeScaleAndPotcarNames) {
  const Structure s = read_poscar(crystal_data("CONTCAR_rutile"));
  EXPECT_NEAR(volume(s), 62.434886, 1e-9);
  ASSERT_EQ(s.frac.size(), 6u);
  EXPECT_EQ(s.species, (std::vector<int>{22, 22, 8, 8, 8, 8}));
  expect_atom(s, 4, 8, {0.1947, 0.8053, 0.5});
}

TEST(CrystalPoscar, Vasp4TakesSpeciesFromTheComment) {
  const Structure s = read_structure(crystal_data("POSCAR_vasp4_CsCl"));
  EXPECT_EQ(s.species, (std::vector<int>{55, 17}));
  EXPECT_NEAR(volume(s), std::pow(4.123, 3), 1e-9);
}

TEST(CrystalXyz, FramesWithLatticeAndProperties) {
  const auto frames = read_xyz(crystal_data("frames.extxyz"));
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].id, "frames.extxyz:0");
  EXPECT_EQ(frames[1].id, "frames.extxyz:1");
  EXPECT_EQ(frames[0].properties, (std::map<std::string, double>{{"energy", -6.25}}));
  EXPECT_EQ(frames[1].properties, (std::map<std::string, double>{{"energy", -3.5}}));
  expect_atom(frames[0], 1, 17, {0.5, 0.5, 0.5});
  expect_atom(frames[1], 0, 29, {1.0 / 3.61, 1.0 / 3.61, 1.0 / 3.61});
}

TEST(CrystalAseJson, ListsAndNdarrayEncodings) {
  const auto entries = read_ase_json(crystal_data("tiny_ase.json"));
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].id, "tiny_ase.json:1");
  EXPECT_EQ(entries[1].id, "tiny_ase.json:2");
  EXPECT_EQ(entries[0].properties.at("volume_per_atom"), 20.01);
  EXPECT_EQ(entries[0].properties.count("name"), 0u) << "strings are not targets";
  expect_atom(entries[0], 1, 14, {0.25, 0.25, 0.25});
  expect_atom(entries[1], 1, 26, {0.5, 0.5, 0.5});
}

TEST(CrystalAseJson, DebianDcdftCollection) {
  // python3-ase (scripts/setup.sh) ships the Δ-test set: 71 elemental crystals.
  const std::string path = "/usr/lib/python3/dist-packages/ase/collections/dcdft.json";
  ASSERT_TRUE(std::filesystem::exists(path)) << "install python3-ase";
  const auto all = read_structures(path);
  ASSERT_EQ(all.size(), 71u);
  for (const auto& s : all) {
    ASSERT_TRUE(s.properties.count("wien2k_volume")) << s.id;
    // The stored geometries are within 1.1 Å³/atom of the WIEN2k equilibrium volume (measured
    // with ASE: largest gap 1.099); a misread cell or atom count breaks this by far more.
    const double per_atom = volume(s) / static_cast<double>(s.frac.size());
    EXPECT_NEAR(per_atom, s.properties.at("wien2k_volume"), 1.1) << s.id;
    for (int z : s.species)
      EXPECT_EQ(z, s.species[0]) << s.id << " is elemental";
  }
  EXPECT_EQ(all.front().species[0], 1);  // H
  EXPECT_EQ(all.back().species[0], 86);  // Rn
}

TEST(CrystalFormat, DetectedByNameThenContent) {
  EXPECT_EQ(detect_format("a/b.CIF", ""), StructureFormat::Cif);
  EXPECT_EQ(detect_format("CONTCAR", ""), StructureFormat::Poscar);
  EXPECT_EQ(detect_format("x.extxyz", ""), StructureFormat::Xyz);
  EXPECT_EQ(detect_format("x.json", ""), StructureFormat::Json);
  EXPECT_EQ(detect_format("noext", "# c\ndata_x\n"), StructureFormat::Cif);
  EXPECT_EQ(detect_format("noext", " 12\nLattice=...\n"), StructureFormat::Xyz);
  EXPECT_EQ(detect_format("noext", "{\"1\": {}}"), StructureFormat::Json);
  EXPECT_EQ(detect_format("noext", "comment\n1.0\n"), StructureFormat::Poscar);
}

}  // namespace

namespace {

TEST(CrystalJson, JarvisRecordsWithTargetsAndCartesianAtoms) {
  const auto all = pf::crystal::read_structures(crystal_data("jarvis_records.json"));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, "jarvis_records.json:JVASP-test-1");
  // "na" and strings are not targets; the id is not a property.
  EXPECT_EQ(all[0].properties, (std::map<std::string, double>{{"formation_energy_peratom", -2.1},
                                                              {"optb88vdw_bandgap", 5.0}}));
  expect_atom(all[0], 1, 17, {0.5, 0.5, 0.5});
  expect_atom(all[1], 3, 29, {0.5, 0.5, 0.0});  // Cartesian (1.805, 1.805, 0) in a 3.61 Å cube
  EXPECT_EQ(all[1].properties.at("mbj_bandgap"), 0.0);
}

TEST(CrystalJson, PymatgenRecordsFollowTheOccupancyPolicy) {
  pf::testing::expect_input_error(
      [] { pf::crystal::read_structures(crystal_data("mp_records.json")); },
      {"mp_records.json:2:", "entry mp-test-1", "sites[0] is disordered", "majority"});
  ReadOptions majority;
  majority.occupancy = OccupancyPolicy::Majority;
  const auto all = pf::crystal::read_structures(crystal_data("mp_records.json"), majority);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].id, "mp_records.json:mp-test-1");
  EXPECT_EQ(all[0].species, (std::vector<int>{29, 8}));
  EXPECT_EQ(all[0].occupancy, (std::vector<double>{0.75, 1.0}));
  EXPECT_EQ(all[0].properties,
            (std::map<std::string, double>{{"formation_energy_per_atom", -1.5}}));
}

}  // namespace
