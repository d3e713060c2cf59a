// The crystal property task: split, target standardisation, per-atom contributions.
#include "crystal_cells.hpp"
#include "crystal_fixtures.hpp"
#include "property/atom_contributions.hpp"
#include "property/crystal_task.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace pf {
namespace {

Deck crystal_deck(const std::vector<std::string>& overrides) {
  return Deck::resolve_text(crystal_task_schema(), "task = \"crystal\"\n", "test", overrides);
}

// n structures; structure i has target "e" = i (except every 7th, which has none) and "v".
crystal::StructureDataset numbered_dataset(int n) {
  crystal::StructureDataset d;
  for (int i = 0; i < n; ++i) {
    crystal::Structure s = test::simple_cubic(3.0 + 0.01 * i);
    s.id = "s" + std::to_string(i);
    if (i % 7 != 3) s.properties["e"] = i;
    s.properties["v"] = 2.0 * i;
    d.structures.push_back(s);
  }
  return d;
}

std::set<std::int64_t> as_set(const std::vector<std::int64_t>& v) {
  return {v.begin(), v.end()};
}

TEST(CrystalTask, RandomSplitIsSeededDisjointAndSkipsMissingTargets) {
  const auto data = numbered_dataset(100);  // 86 with target "e"
  const Deck deck = crystal_deck({"data.valid_fraction=0.1", "data.test_fraction=0.2"});
  const CrystalSplit a = split_structures(deck, data, "e");
  EXPECT_EQ(a.test.size(), 17u);  // round(0.2 · 86)
  EXPECT_EQ(a.valid.size(), 9u);  // round(0.1 · 86)
  EXPECT_EQ(a.train.size(), 86u - 17u - 9u);
  std::set<std::int64_t> all = as_set(a.train);
  for (auto i : a.valid)
    EXPECT_TRUE(all.insert(i).second);
  for (auto i : a.test)
    EXPECT_TRUE(all.insert(i).second);
  for (auto i : all)
    EXPECT_EQ(data.structures[size_t(i)].properties.count("e"), 1u);
  const CrystalSplit again = split_structures(deck, data, "e");
  EXPECT_EQ(again.train, a.train);
  EXPECT_EQ(again.test, a.test);
  const CrystalSplit other = split_structures(
      crystal_deck({"data.valid_fraction=0.1", "data.test_fraction=0.2", "data.split_seed=7"}),
      data, "e");
  EXPECT_NE(other.test, a.test);
}

TEST(CrystalTask, MaxTrainShrinksOnlyTheTrainingSet) {
  const auto data = numbered_dataset(200);
  const CrystalSplit full = split_structures(crystal_deck({}), data, "v");
  const CrystalSplit part = split_structures(crystal_deck({"data.max_train=25"}), data, "v");
  EXPECT_EQ(part.test, full.test);
  EXPECT_EQ(part.valid, full.valid);
  ASSERT_EQ(part.train.size(), 25u);
  EXPECT_TRUE(std::equal(part.train.begin(), part.train.end(), full.train.begin()));
}

TEST(CrystalTask, KFoldTestSetsPartitionTheData) {
  const auto data = numbered_dataset(71);
  std::vector<int> seen(71, 0);
  for (int f = 0; f < 5; ++f) {
    const CrystalSplit s =
        split_structures(crystal_deck({"data.split=\"kfold\"", "data.folds=5",
                                       "data.fold=" + std::to_string(f), "data.valid_fraction=0"}),
                         data, "v");
    EXPECT_TRUE(s.valid.empty());
    EXPECT_EQ(s.train.size() + s.test.size(), 71u);
    for (auto i : s.test)
      ++seen[size_t(i)];
  }
  for (int c : seen)
    EXPECT_EQ(c, 1);
}

TEST(CrystalTask, ScalerIsMeanAndPopulationStdOfTrainingTargets) {
  const auto data = numbered_dataset(10);
  const TargetScaler s = fit_target_scaler(data, "v", {0, 1, 2, 4});  // 0, 2, 4, 8
  EXPECT_DOUBLE_EQ(s.mean, 3.5);
  EXPECT_NEAR(s.std, std::sqrt((3.5 * 3.5 + 1.5 * 1.5 + 0.5 * 0.5 + 4.5 * 4.5) / 4), 1e-12);
  EXPECT_NEAR(s.to_units(s.standardize(7.25)), 7.25, 1e-12);
}

TEST(CrystalTask, DeckRangesAreChecked) {
  testing::expect_input_error([] { validate_crystal_deck(crystal_deck({"data.fold=5"})); },
                              {"data.fold", "below data.folds = 5", "found 5"});
  testing::expect_input_error(
      [] {
        validate_crystal_deck(crystal_deck({"data.valid_fraction=0.5", "data.test_fraction=0.5"}));
      },
      {"data.test_fraction", "valid + test < 1"});
}

// Mean over a structure's atoms of the linearised contributions equals the model's prediction
// exactly in exact arithmetic; the tolerance covers fp32 embeddings read into fp64 sums of
// |h| ~ 1 over C = 16 channels (1e-5 relative to the prediction's O(1) size).
TEST(CrystalTask, ContributionsAverageToThePrediction) {
  for (const char* name : {"icomformer", "ecomformer"}) {
    const Deck deck =
        crystal_deck({std::string("model.name=\"") + name + "\"", "model.node_features=16",
                      "model.fc_features=16", "model.atom_input_features=8",
                      "model.edge_features=16", "model.triplet_input_features=16",
                      "model.equi_scalars=8", "model.equi_vectors=2", "graph.max_neighbors=8"});
    Rng rng(5);
    CrystalModel model = make_crystal_model(deck, rng);
    model.module->set_training(false);
    std::vector<crystal::Structure> structures{test::triclinic(), test::fcc_conventional(3.6)};
    const GraphCache graphs(structures, crystal_graph_options(deck));
    NoGradGuard no_grad;
    const auto g = graphs.batch({0, 1}, model.num_species);
    const Tensor<float> h = model.node_embeddings(g);
    const std::vector<float> y = model.readout(h, g).to_host();
    const std::vector<double> c = linearized_contributions(model, h, {0, 3, 7});
    ASSERT_EQ(c.size(), 7u);
    const double mean0 = (c[0] + c[1] + c[2]) / 3, mean1 = (c[3] + c[4] + c[5] + c[6]) / 4;
    EXPECT_NEAR(mean0, y[0], 1e-5 * (1 + std::abs(y[0]))) << name;
    EXPECT_NEAR(mean1, y[1], 1e-5 * (1 + std::abs(y[1]))) << name;
    // The triclinic cell's atoms are inequivalent, so their contributions differ.
    EXPECT_GT(std::abs(c[0] - c[1]) + std::abs(c[1] - c[2]), 1e-6) << name;
    // fcc's four atoms are equivalent: equal embeddings, equal contributions (fp32 rounding).
    for (int i = 4; i < 7; ++i)
      EXPECT_NEAR(c[size_t(i)], c[3], 1e-4) << name;
  }
}

TEST(CrystalTask, CsvFieldsQuoteOnlyWhenNeeded) {
  EXPECT_EQ(csv_field("mp-149.cif"), "mp-149.cif");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"x\""), "\"say \"\"x\"\"\"");
}

}  // namespace
}  // namespace pf
