// PatchTST and Pathformer decks: defaults give the references' ETTh1 models (parameter counts
// of shared/models/timeseries.md §1d), bad values are InputErrors naming the key.
#include "config/deck.hpp"
#include "core/error.hpp"
#include "models/timeseries/patchtst.hpp"
#include "models/timeseries/pathformer.hpp"

#include <gtest/gtest.h>

#include <string>

namespace pf {
namespace {

DeckSchema schema() {
  DeckSchema s("test", "time-series model options");
  ts::add_patchtst_options(s);
  ts::add_pathformer_options(s);
  return s;
}

Deck deck(const std::vector<std::string>& overrides = {}) {
  return Deck::resolve(schema(), "", overrides);
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError";
  return "";
}

Index patchtst_params(ts::ForecastShape shape, const std::vector<std::string>& overrides = {}) {
  Rng rng(1);
  return ts::PatchTST(ts::patchtst_config(deck(overrides), shape), rng).parameter_count();
}

TEST(TsModelConfig, PatchTSTParameterCountsMatchTheReference) {
  // Counted by the reference code (frozen attention scales excluded).
  EXPECT_EQ(patchtst_params({336, 96, 7}), 81728);
  EXPECT_EQ(patchtst_params({336, 720, 7}), 501680);
  const std::vector<std::string> weather = {"model.patchtst.d_model=128",
                                            "model.patchtst.n_heads=16", "model.patchtst.d_ff=256"};
  EXPECT_EQ(patchtst_params({336, 96, 21}, weather), 921184);
  EXPECT_EQ(patchtst_params({512, 720, 21}, weather), 6306768);
}

TEST(TsModelConfig, PathformerParameterCountsMatchTheReference) {
  // Trainable parameters of the reference (its 12 frozen attention scales excluded; the unused
  // end_MLP included): 438,482 − 12 for ETTh1, 728,152 − 12 for Weather 96→96.
  Rng rng(1);
  EXPECT_EQ(ts::Pathformer(ts::pathformer_config(deck(), {96, 96, 7}), rng).parameter_count(),
            438470);
  const Deck weather = deck({"model.pathformer.d_model=8", "model.pathformer.k=2",
                             "model.pathformer.patch_size_list=[16,12,8,4,12,8,6,4,8,6,2,12]"});
  EXPECT_EQ(ts::Pathformer(ts::pathformer_config(weather, {96, 96, 21}), rng).parameter_count(),
            728140);
}

TEST(TsModelConfig, BadValuesNameTheKey) {
  const std::string patch = error_of([] {
    ts::pathformer_config(deck({"model.pathformer.patch_size_list=[16,12,8,5,12,8,6,4,8,6,4,2]"}),
                          {96, 96, 7});
  });
  EXPECT_NE(patch.find("model.pathformer.patch_size_list"), std::string::npos) << patch;
  EXPECT_NE(patch.find("divide seq_len (96)"), std::string::npos) << patch;
  EXPECT_NE(patch.find("5 in [16, 12, 8, 5"), std::string::npos) << patch;
  const std::string count = error_of([] {
    ts::pathformer_config(deck({"model.pathformer.patch_size_list=[16,12]"}), {96, 96, 7});
  });
  EXPECT_NE(count.find("12 sizes"), std::string::npos) << count;
  const std::string k = error_of([] {
    ts::pathformer_config(deck({"model.pathformer.k=5"}), {96, 96, 7});
  });
  EXPECT_NE(k.find("model.pathformer.k"), std::string::npos) << k;
  const std::string odd = error_of([] {
    ts::pathformer_config(deck({"model.pathformer.d_model=5"}), {96, 96, 7});
  });
  EXPECT_NE(odd.find("model.pathformer.d_model"), std::string::npos) << odd;
  const std::string heads = error_of([] {
    ts::patchtst_config(deck({"model.patchtst.n_heads=3"}), {336, 96, 7});
  });
  EXPECT_NE(heads.find("model.patchtst.d_model"), std::string::npos) << heads;
  const std::string plen = error_of([] {
    ts::patchtst_config(deck({"model.patchtst.patch_len=400"}), {336, 96, 7});
  });
  EXPECT_NE(plen.find("model.patchtst.patch_len"), std::string::npos) << plen;
  const std::string drop = error_of([] {
    ts::patchtst_config(deck({"model.patchtst.dropout=1.5"}), {336, 96, 7});
  });
  EXPECT_NE(drop.find("model.patchtst.dropout"), std::string::npos) << drop;
}

TEST(TsModelConfig, TrainingForwardIsSeededAndEvalIsDeterministic) {
  // Dropout and gate noise come from the model's own stream: two models built from the same
  // seed give the same training forward; eval forwards repeat exactly.
  const Deck d = deck();
  const ts::ForecastShape shape{96, 24, 3};
  Rng r1(5), r2(5);
  ts::Pathformer a(ts::pathformer_config(d, shape), r1), b(ts::pathformer_config(d, shape), r2);
  Rng data(3);
  std::vector<float> v(2 * 96 * 3);
  for (auto& x : v)
    x = float(data.normal());
  const Tensorf x = Tensorf::from_host({2, 96, 3}, v);
  EXPECT_EQ(a.forward(x).to_host(), b.forward(x).to_host());
  EXPECT_TRUE(a.auxiliary_loss().defined());
  a.set_training(false);
  EXPECT_EQ(a.forward(x).to_host(), a.forward(x).to_host());
}

}  // namespace
}  // namespace pf
