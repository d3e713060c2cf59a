// The synthetic ionic-crystal generator: reproducible per index, neutral, within the deck's
// bounds, and its target equal to an independent Ewald evaluation.
#include "config/deck.hpp"
#include "crystal/ewald.hpp"
#include "crystal/lattice.hpp"
#include "crystal_fixtures.hpp"
#include "sim/crystals/crystals_deck.hpp"
#include "sim/crystals/ionic_crystals.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

namespace {

using namespace pf::sim;
using pf::testing::expect_input_error;

IonicCrystalConfig config_with(const std::vector<std::string>& overrides) {
  const auto schema = crystals_schema({"kolmogorov2d", "crystals"});
  return crystals_config(pf::Deck::resolve_text(schema, "", "test deck", overrides));
}

TEST(CrystalGenerator, ParsesIons) {
  const Ion mg = parse_ion("Mg2+", "ions");
  EXPECT_EQ(mg.z, 12);
  EXPECT_EQ(mg.charge, 2);
  EXPECT_EQ(parse_ion("Na+", "ions").charge, 1);
  EXPECT_EQ(parse_ion("N3-", "ions").charge, -3);
  EXPECT_EQ(parse_ion("O2-", "ions").z, 8);
  for (const char* bad : {"Na", "Xx+", "Na0+", "na+", "Mg2+x", "Mg22+"}) {
    expect_input_error([&] { parse_ion(bad, "ions.cations"); },
                       {"ions.cations", std::string("'") + bad + "'"});
  }
}

TEST(CrystalGenerator, ReproducibleNeutralAndWithinBounds) {
  const IonicCrystalConfig c = config_with({});
  const auto first = generate_ionic_crystal(c, 17);
  const auto again = generate_ionic_crystal(c, 17);
  EXPECT_EQ(first.structure.frac, again.structure.frac);
  EXPECT_EQ(first.structure.lattice, again.structure.lattice);
  EXPECT_EQ(first.structure.properties, again.structure.properties);
  EXPECT_NE(generate_ionic_crystal(c, 18).structure.lattice, first.structure.lattice);
  EXPECT_EQ(first.structure.id, "ionic-000017");

  for (std::uint64_t i = 0; i < 200; ++i) {
    const auto g = generate_ionic_crystal(c, i);
    const auto& s = g.structure;
    const auto n = static_cast<int>(s.frac.size());
    ASSERT_GE(n, c.min_atoms);
    ASSERT_LE(n, c.max_atoms);
    EXPECT_EQ(std::accumulate(g.charge.begin(), g.charge.end(), 0.0), 0.0) << s.id;
    const double volume = std::abs(pf::crystal::determinant(s.lattice)) / n;
    EXPECT_GE(volume, c.volume_per_atom_min - 1e-9);
    EXPECT_LE(volume, c.volume_per_atom_max + 1e-9);
    const auto p = pf::crystal::cell_parameters(s.lattice);
    for (int k = 3; k < 6; ++k) {
      EXPECT_GE(p[k], c.angle_min - 1e-9);
      EXPECT_LE(p[k], c.angle_max + 1e-9);
    }
    for (int a = 0; a < n; ++a)
      for (int b = 0; b < a; ++b)
        EXPECT_GE(pf::crystal::periodic_distance(s.lattice, s.frac[a], s.frac[b], c.min_distance),
                  c.min_distance);
    EXPECT_GE(pf::crystal::shortest_lattice_vector(s.lattice, c.min_distance), c.min_distance);
    EXPECT_NEAR(std::accumulate(g.site_energy.begin(), g.site_energy.end(), 0.0) / n,
                s.properties.at("ewald_energy_per_atom"), 1e-12);
  }
}

TEST(CrystalGenerator, TargetMatchesEwaldAtAnotherSplitting) {
  const IonicCrystalConfig c = config_with({});
  for (std::uint64_t i = 0; i < 20; ++i) {
    const auto g = generate_ionic_crystal(c, i);
    pf::crystal::EwaldOptions other;
    other.alpha = 0.9;  // far from the automatic choice: the splitting must not matter
    const double e =
        pf::crystal::ewald_energy(g.structure.lattice, g.structure.frac, g.charge, other).energy *
        pf::crystal::kCoulombEvAngstrom / double(g.charge.size());
    // Relative 1e-9: both sums are converged to 1e-12 per term.
    EXPECT_NEAR(e, g.structure.properties.at("ewald_energy_per_atom"), 1e-9 * std::abs(e));
  }
}

TEST(CrystalGenerator, DeckErrorsNameTheKey) {
  expect_input_error([] { config_with({"cell.angles=[100.0, 90.0]"}); },
                     {"test deck", "cell.angles", "[100, 90]"});
  expect_input_error([] { config_with({"ions.cations=\"Na+, Cl-\""}); },
                     {"ions.cations", "cations (positive charge)", "Cl-"});
  expect_input_error([] { config_with({"ions.anions=\"O3\""}); }, {"ions.anions", "'O3'"});
  expect_input_error([] { config_with({"ions.cations=\"Fe2+, Fe3+\""}); },
                     {"ions.cations", "each element once", "Fe2+ and Fe3+"});
  const IonicCrystalConfig impossible =
      config_with({"ions.cations=\"Al3+\"", "ions.anions=\"O2-\"", "composition.max_count=1"});
  expect_input_error([&] { generate_ionic_crystal(impossible, 0); },
                     {"no charge-neutral composition"});
  const IonicCrystalConfig crowded = config_with({"cell.min_distance=4.0"});
  expect_input_error([&] { generate_ionic_crystal(crowded, 0); },
                     {"could not be placed 4 Å apart"});
}

}  // namespace
