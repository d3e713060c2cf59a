// The tape itself: composite graphs, reuse of values, accumulation, freeing, no-grad mode.
#include "gradcheck.hpp"

namespace pf::test {
namespace {

using Inputs = std::vector<Tensord>;

TEST(Autodiff, CompositeGraphWithSharedSubexpressions) {
  // h is used three times (twice directly, once through g), x twice, b broadcast over rows.
  expect_gradients_match(
      [](const Inputs& in) {
        const Tensord h = tanh(add(matmul(in[0], in[1]), in[2]));
        const Tensord g = mul(h, sigmoid(h));
        return sub(mul(add(g, h), in[0]), square(h));
      },
      {param({4, 4}, 1), param({4, 4}, 2), param({4}, 3)});
}

TEST(Autodiff, SameTensorAsBothOperands) {
  expect_gradients_match([](const Inputs& in) { return mul(in[0], in[0]); }, {param({5}, 4)});
  expect_gradients_match([](const Inputs& in) { return matmul(in[0], in[0], false, true); },
                         {param({3, 4}, 5)});
}

TEST(Autodiff, ProductsWithConstantOperands) {
  // Only the operand that needs a gradient is differentiated; the saved data differ per case.
  const Tensord c = random_tensor({3, 4}, 13, 0.5, 2.0);
  expect_gradients_match([c](const Inputs& in) { return mul(in[0], c); }, {param({4}, 14)});
  expect_gradients_match([c](const Inputs& in) { return div(c, in[0]); }, {param({3, 1}, 15, 0.5, 2)});
  expect_gradients_match([c](const Inputs& in) { return div(in[0], c); }, {param({3, 4}, 16)});
}

TEST(Autodiff, BroadcastGradientsSumOverExpandedAxes) {
  const Tensord x = param({1, 3}, 6), y = Tensord::full({4, 3}, 2.0);
  sum_all(mul(x, y)).backward();
  const auto g = Tensord(x.grad(), x.shape()).to_host();
  for (double v : g)
    EXPECT_DOUBLE_EQ(v, 8.0);  // 4 rows × 2
}

TEST(Autodiff, GradientsAccumulateUntilZeroed) {
  Tensord x = param({2}, 7);
  sum_all(x).backward();
  sum_all(scale(x, 3.0)).backward();
  EXPECT_DOUBLE_EQ(get_element(x.grad(), 0), 4.0);
  x.zero_grad();
  EXPECT_DOUBLE_EQ(get_element(x.grad(), 1), 0.0);
}

TEST(Autodiff, GraphIsFreedAfterBackward) {
  const Tensord x = param({8}, 8);
  const Tensord y = exp(x);  // saves its output
  const Tensord loss = sum_all(y);
  const long before = y.data().use_count();
  loss.backward();
  // The exp node held a reference to y's storage; backward must have dropped it.
  EXPECT_LT(y.data().use_count(), before);
  EXPECT_THROW(loss.backward(), std::logic_error);
}

TEST(Autodiff, NoGradModeRecordsNothing) {
  const Tensord x = param({3}, 9);
  {
    NoGradGuard guard;
    EXPECT_FALSE(exp(x).requires_grad());
  }
  EXPECT_TRUE(exp(x).requires_grad());
  EXPECT_FALSE(exp(x.detach()).requires_grad());
}

TEST(Autodiff, OnlyInputsThatNeedGradientsGetThem) {
  const Tensord a = param({2, 3}, 10), b = random_tensor({3, 2}, 11);
  sum_all(matmul(a, b)).backward();
  EXPECT_EQ(Index(a.grad().extent(0)), 6);
  EXPECT_FALSE(b.requires_grad());
}

TEST(Autodiff, BackwardNeedsAScalarThatDependsOnParameters) {
  EXPECT_THROW(param({2}, 12).backward(), ShapeError);
  EXPECT_THROW(Tensord::scalar(1.0).backward(), std::logic_error);
}

}  // namespace
}  // namespace pf::test
