// The patch forecasters' own ops (normal CDF, replicate end-padding, patching, dropout, top-k):
// values against direct formulas and gradients against central differences in fp64.
#include "gradcheck.hpp"
#include "models/timeseries/ts_ops.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace pf {
namespace {

using test::param;

TEST(TsModelOps, NormalCdfValuesAndGradient) {
  const Tensord x = Tensord::from_host({5}, {-3.0, -0.5, 0.0, 0.7, 2.5});
  const auto y = ts::normal_cdf(x).to_host();
  const std::vector<double> xs = x.to_host();
  for (size_t i = 0; i < xs.size(); ++i)  // erfc reference; fast_erf is accurate to ~1e-15 in fp64
    EXPECT_NEAR(y[i], 0.5 * std::erfc(-xs[i] / std::sqrt(2.0)), 1e-12);
  test::expect_gradients_match([](const std::vector<Tensord>& in) { return ts::normal_cdf(in[0]); },
                               {param({3, 4}, 1, -2.5, 2.5)});
}

TEST(TsModelOps, ReplicatePadEndRepeatsTheLastValue) {
  const Tensord x = Tensord::from_host({2, 3}, {1, 2, 3, 4, 5, 6});
  const Tensord y = ts::replicate_pad_end(x, 2);
  ASSERT_EQ(y.shape(), (Shape{2, 5}));
  EXPECT_EQ(y.to_host(), (std::vector<double>{1, 2, 3, 3, 3, 4, 5, 6, 6, 6}));
  test::expect_gradients_match(
      [](const std::vector<Tensord>& in) { return ts::replicate_pad_end(in[0], 3); },
      {param({2, 2, 5}, 2)});
}

TEST(TsModelOps, UnfoldLastMatchesTorchUnfold) {
  std::vector<double> v(10);
  for (int i = 0; i < 10; ++i)
    v[i] = i;
  const Tensord y = ts::unfold_last(Tensord::from_host({1, 10}, v), 4, 3);  // windows 0, 3, 6
  ASSERT_EQ(y.shape(), (Shape{1, 3, 4}));
  EXPECT_EQ(y.to_host(), (std::vector<double>{0, 1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9}));
  // Overlapping windows (step < size) add their gradients.
  test::expect_gradients_match(
      [](const std::vector<Tensord>& in) { return ts::unfold_last(in[0], 3, 2); },
      {param({2, 9}, 3)});
  EXPECT_THROW(ts::unfold_last(Tensord::zeros({2, 3}), 4, 1), ShapeError);
}

TEST(TsModelOps, DropoutIsIdentityInEvalAndInvertedInTraining) {
  Rng rng(7);
  const Tensorf x = Tensorf::full({20000}, 1.0f);
  EXPECT_EQ(ts::dropout(x, 0.3, false, rng).to_host(), x.to_host());
  const auto y = ts::dropout(x, 0.25, true, rng).to_host();
  double kept = 0, total = 0;
  for (float v : y) {
    ASSERT_TRUE(v == 0.0f || std::abs(v - 1.0f / 0.75f) < 1e-6f) << v;
    kept += v != 0.0f;
    total += v;
  }
  // Binomial(20000, 0.75): σ of the kept fraction is 0.003, so ±0.015 is 5σ.
  EXPECT_NEAR(kept / 20000.0, 0.75, 0.015);
  EXPECT_NEAR(total / 20000.0, 1.0, 0.02);
  // Same seed, same mask.
  Rng a(9), b(9);
  EXPECT_EQ(ts::dropout(x, 0.5, true, a).to_host(), ts::dropout(x, 0.5, true, b).to_host());
  // Backward recomputes the forward's mask: with the stream re-seeded before each evaluation the
  // op is a fixed linear map, which the finite differences check.
  test::expect_gradients_match(
      [](const std::vector<Tensord>& in) {
        Rng r(11);
        return ts::dropout(in[0], 0.4, true, r);
      },
      {param({4, 5}, 4)});
}

TEST(TsModelOps, HeadAttentionMatchesPermutedMatmulsAndGradients) {
  // q [B=2, S=3, H=2, e], k, v [2, T=5, 2, e]: against permute + matmul, then central
  // differences through softmax so every path carries a gradient. e = 4 takes the kernels'
  // compile-time width, e = 3 the runtime loop.
  for (Index e : {4, 3}) {
    const Tensord q = param({2, 3, 2, e}, 5), k = param({2, 5, 2, e}, 6),
                  v = param({2, 5, 2, e}, 7);
    {
      NoGradGuard no_grad;
      const Tensord s = ts::head_scores(q, k, 0.3);
      const Tensord want_s =
          scale(matmul(permute(q, {0, 2, 1, 3}), permute(k, {0, 2, 1, 3}), false, true), 0.3);
      test::expect_all_near(s.to_host(), want_s.to_host(), 1e-14, "scores");
      const Tensord a = softmax(s, -1);
      const Tensord want_o = permute(matmul(a, permute(v, {0, 2, 1, 3})), {0, 2, 1, 3});
      test::expect_all_near(ts::head_mix(a, v).to_host(), want_o.to_host(), 1e-14, "mix");
    }
    test::expect_gradients_match(
        [](const std::vector<Tensord>& in) {
          return ts::head_mix(softmax(ts::head_scores(in[0], in[1], 0.7), -1), in[2]);
        },
        {q, k, v});
  }
}

TEST(TsModelOps, ChannelLinearIsOneMatrixPerChannel) {
  // x [R=2, 3, N=2, D=3], w [N=2, 3, E]: each channel against its own matmul; E = 4 takes the
  // compile-time width, E = 3 the runtime loop.
  for (Index e : {4, 3}) {
    const Tensord x = param({2, 3, 2, 3}, 8), w = param({2, 3, e}, 9);
    {
      NoGradGuard no_grad;
      const Tensord y = ts::channel_linear(x, w);
      ASSERT_EQ(y.shape(), (Shape{2, 3, 2, e}));
      for (Index c = 0; c < 2; ++c) {
        const Tensord want =
            matmul(reshape(slice(x, 2, c, c + 1), {6, 3}), reshape(slice(w, 0, c, c + 1), {3, e}));
        test::expect_all_near(reshape(slice(y, 2, c, c + 1), {6, e}).to_host(), want.to_host(),
                              1e-14, "channel " + std::to_string(c));
      }
    }
    test::expect_gradients_match(
        [](const std::vector<Tensord>& in) { return ts::channel_linear(in[0], in[1]); }, {x, w});
  }
}

TEST(TsModelOps, TopkRowsLargestFirst) {
  const std::vector<float> v = {0.1f, 0.9f, 0.5f, 0.9f, 3.0f, 2.0f, 1.0f, 0.0f};
  EXPECT_EQ(ts::topk_rows(v, 2, 4, 3), (std::vector<Index>{1, 3, 2, 0, 1, 2}));
}

}  // namespace
}  // namespace pf
