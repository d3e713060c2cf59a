// Linear, NLinear and DLinear against PyTorch (tests/golden/make_timeseries_golden.py, run in
// fp64 from the same fp32 weights and input), and the moving average against a host reference
// and finite differences.
#include "core/rng.hpp"
#include "gradcheck.hpp"
#include "io/hdf5.hpp"
#include "models/timeseries/decomposition.hpp"
#include "models/timeseries/forecasters.hpp"
#include "models/timeseries/ops.hpp"
#include "train/checkpoint.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace pf {
namespace {

std::string golden(const std::string& name) {
  return std::string(PF_SOURCE_DIR) + "/tests/data/ts_" + name + ".h5";
}

std::shared_ptr<ts::Forecaster> golden_model(const h5::File& f) {
  const ts::ForecastShape s{f.int_attr("/", "seq_len"), f.int_attr("/", "pred_len"),
                            f.int_attr("/", "channels")};
  const bool individual = f.int_attr("/", "individual") != 0;
  const std::string kind = f.string_attr("/", "model");
  Rng rng(1);
  if (kind == "linear") return std::make_shared<ts::LinearForecaster>(s, individual, rng);
  if (kind == "nlinear") return std::make_shared<ts::NLinearForecaster>(s, individual, rng);
  return std::make_shared<ts::DLinearForecaster>(s, individual, f.int_attr("/", "moving_avg"), rng);
}

double max_abs_diff(const std::vector<float>& got, const std::vector<double>& want) {
  EXPECT_EQ(got.size(), want.size());
  double worst = 0;
  for (size_t i = 0; i < got.size() && i < want.size(); ++i)
    worst = std::max(worst, std::abs(double(got[i]) - want[i]));
  return worst;
}

class TsLinearGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(TsLinearGolden, ForwardLossAndGradientsMatchPyTorch) {
  const std::string path = golden(GetParam());
  const h5::File f = h5::File::open_read(path);
  auto model = golden_model(f);
  // every reference key must exist, none may be left over
  load_params(path, as_named(model->state_dict()));

  const Tensor<float> input = h5::read_tensor(f, "/input");
  const Tensor<float> target = h5::read_tensor(f, "/target");
  const auto want = f.read<double>("/output");
  const Tensor<float> out = model->forward(input);
  ASSERT_EQ(out.shape(), want.shape);
  // Outputs are O(1) sums of L = 24 (DLinear: 2 × 24) fp32 products: rounding ~ 24 · 6e-8 ≈
  // 1.5e-6; 1e-5 absolute leaves a margin and still catches any wrong index or padding (≥ 1e-2).
  EXPECT_LT(max_abs_diff(out.to_host(), want.values), 1e-5);

  const Tensor<float> loss = mse_loss(out, target);
  const double want_loss = f.read<double>("/loss").values.at(0);
  EXPECT_NEAR(loss.item(), want_loss, 1e-5 * want_loss);  // mean of O(1) squares, as above
  loss.backward();
  Index checked = 0;
  for (const auto& [name, p] : model->named_parameters()) {
    const auto g = f.read<double>("/grad/" + name);
    ASSERT_EQ(Index(p.grad().extent(0)), p.numel()) << name;
    Kokkos::View<float*, Kokkos::HostSpace> host("grad", p.numel());
    Kokkos::deep_copy(host, p.grad());
    // Gradients are means over B·T·C = 72 terms of O(1) products: the same 1e-5 bound holds.
    EXPECT_LT(max_abs_diff(std::vector<float>(host.data(), host.data() + p.numel()), g.values),
              1e-5)
        << name;
    ++checked;
  }
  EXPECT_EQ(checked, Index(f.list_datasets("/grad").size()));
}

INSTANTIATE_TEST_SUITE_P(Ts, TsLinearGolden,
                         ::testing::Values("linear_shared", "linear_individual", "nlinear_shared",
                                           "nlinear_individual", "dlinear_shared",
                                           "dlinear_individual", "dlinear_even"));

TEST(TsMovingAverage, MatchesHostReferenceForOddAndEvenKernels) {
  const Index b = 2, len = 7, c = 3;
  const Tensord x = test::random_tensor({b, len, c}, 5);
  const std::vector<double> xv = x.to_host();
  for (Index k : {1, 2, 3, 4, 5, 8, 9, 15}) {
    const std::vector<double> got = ts::moving_average(x, k).to_host();
    const Index front = k - 1 - (k - 1) / 2;
    for (Index bi = 0; bi < b; ++bi)
      for (Index t = 0; t < len; ++t)
        for (Index ch = 0; ch < c; ++ch) {
          double s = 0;
          for (Index j = 0; j < k; ++j) {
            const Index src = std::min(std::max<Index>(t + j - front, 0), len - 1);
            s += xv[size_t((bi * len + src) * c + ch)];
          }
          // Same additions in the same order in fp64: only the final scaling may differ.
          EXPECT_NEAR(got[size_t((bi * len + t) * c + ch)], s / double(k), 1e-14)
              << "k " << k << " t " << t;
        }
  }
}

TEST(TsMovingAverage, GradientMatchesFiniteDifferences) {
  // Kernels shorter than, equal to and longer than the series; odd and even.
  for (Index k : {1, 2, 3, 4, 6, 7, 11}) {
    Tensord x = test::random_tensor({2, 6, 2}, 11);
    x.set_requires_grad(true);
    test::expect_gradients_match(
        [k](const std::vector<Tensord>& in) { return ts::moving_average(in[0], k); }, {x});
  }
}

TEST(TsMovingAverage, SeriesDecompositionAddsUp) {
  const Tensord x = test::random_tensor({1, 9, 2}, 3);
  const auto d = ts::series_decomp(x, 4);
  const auto s = d.seasonal.to_host(), t = d.trend.to_host(), xv = x.to_host();
  for (size_t i = 0; i < xv.size(); ++i)
    EXPECT_NEAR(s[i] + t[i], xv[i], 1e-15);
}

TEST(TsLayoutOps, MatchTensorOpsAndFiniteDifferences) {
  Tensord x = test::random_tensor({3, 4, 2}, 21);
  // swap_leading_axes is permute(x, {1, 0, 2}) exactly.
  EXPECT_EQ(ts::swap_leading_axes(x).to_host(), permute(x, {1, 0, 2}).to_host());
  const Tensord one = test::random_tensor({1, 4, 2}, 20);  // a view, no copy
  EXPECT_EQ(ts::swap_leading_axes(one).shape(), (Shape{4, 1, 2}));
  EXPECT_EQ(ts::swap_leading_axes(one).to_host(), one.to_host());
  x.set_requires_grad(true);
  test::expect_gradients_match(
      [](const std::vector<Tensord>& in) { return ts::swap_leading_axes(in[0]); }, {x});

  Tensord xt = test::random_tensor({5, 6}, 22), w = test::random_tensor({3, 5}, 23),
          b = test::random_tensor({3}, 24);
  const auto want = add(matmul(w, xt), reshape(b, {3, 1})).to_host();
  const auto got = ts::time_linear(xt, w, b).to_host();
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_NEAR(got[i], want[i], 1e-14);  // same products, bias added first: fp64 rounding only
  for (auto* t : {&xt, &w, &b})
    t->set_requires_grad(true);
  test::expect_gradients_match(
      [](const std::vector<Tensord>& in) { return ts::time_linear(in[0], in[1], in[2]); },
      {xt, w, b});

  Tensord r = test::random_tensor({4, 3}, 25);
  const Tensord v = test::random_tensor({1, 3}, 26);
  EXPECT_EQ(ts::shift_rows(r, v, -1.0).to_host(), sub(r, v).to_host());
  r.set_requires_grad(true);
  test::expect_gradients_match(
      [v](const std::vector<Tensord>& in) { return ts::shift_rows(in[0], v, 1.0); }, {r});
}

TEST(TsLinearModels, ParameterCountsMatchTheReference) {
  // docs: Linear L=336, T=96: 32,352; DLinear shared: 64,704; individual ×C.
  Rng rng(0);
  EXPECT_EQ(ts::LinearForecaster({336, 96, 7}, false, rng).parameter_count(), 32352);
  EXPECT_EQ(ts::NLinearForecaster({336, 720, 7}, false, rng).parameter_count(), 242640);
  EXPECT_EQ(ts::DLinearForecaster({336, 96, 7}, false, 25, rng).parameter_count(), 64704);
  EXPECT_EQ(ts::DLinearForecaster({336, 96, 7}, true, 25, rng).parameter_count(), 7 * 64704);
}

}  // namespace
}  // namespace pf
