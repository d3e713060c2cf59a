// upsample2_conv3d against the composition conv3d(upsample_nearest(x, 2)) it replaces (values and
// every gradient, fp64) and against finite differences.
#include "gradcheck.hpp"
#include "tensor/ops_conv.hpp"

namespace pf::test {
namespace {

struct Case {
  Shape x;
  Index cout;
  bool bias;
};

// Odd and unit extents reach every border parity; B = 2 checks the sample stride.
const std::vector<Case> kCases = {
    {{1, 2, 3, 2, 3}, 2, true}, {{2, 1, 2, 3, 2}, 3, false}, {{1, 3, 3, 3, 4}, 5, true}};

Tensord composition(const Tensord& x, const Tensord& w, const Tensord& b) {
  return conv3d(upsample_nearest(x, 2), w, b, 1, 1);
}

std::vector<double> host_grad(const Tensord& t) {
  return Tensord(t.grad(), t.shape()).to_host();
}

TEST(UpsampleConv3d, MatchesUpsampleThenConvWithGradients) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(to_string(c.x));
    const Shape ws{c.cout, c.x[4], 3, 3, 3};
    std::vector<Tensord> ours = {param(c.x, 11), param(ws, 12),
                                 c.bias ? param({c.cout}, 13) : Tensord()};
    std::vector<Tensord> ref = {param(c.x, 11), param(ws, 12),
                                c.bias ? param({c.cout}, 13) : Tensord()};
    const Tensord y = upsample2_conv3d(ours[0], ours[1], ours[2]);
    const Tensord y_ref = composition(ref[0], ref[1], ref[2]);
    ASSERT_EQ(y.shape(), y_ref.shape());
    // Both sides sum the same products of fp64 values in different orders: 1e-12 relative is
    // four orders above the rounding of ≤ 27·Cin terms of magnitude ≤ 1.
    expect_all_near(y.to_host(), y_ref.to_host(), 1e-12, "forward");
    const Tensord g = random_tensor<double>(y.shape(), 14);
    sum_all(mul(y, g)).backward();
    sum_all(mul(y_ref, g)).backward();
    for (size_t k = 0; k < 3; ++k)
      if (ours[k].defined())
        expect_all_near(host_grad(ours[k]), host_grad(ref[k]), 1e-12,
                        "gradient of input " + std::to_string(k));
  }
}

TEST(UpsampleConv3d, GradientsMatchFiniteDifferences) {
  for (const Case& c : {kCases[0], kCases[1]}) {
    SCOPED_TRACE(to_string(c.x));
    expect_gradients_match(
        [](const std::vector<Tensord>& in) { return upsample2_conv3d(in[0], in[1], in[2]); },
        {param(c.x, 21), param({c.cout, c.x[4], 3, 3, 3}, 22),
         c.bias ? param({c.cout}, 23) : Tensord()});
  }
}

TEST(UpsampleConv3d, RejectsInconsistentShapes) {
  const Tensorf x = random_tensor<float>({1, 2, 2, 2, 3}, 1);
  const Tensorf w = random_tensor<float>({4, 3, 3, 3, 3}, 2);
  EXPECT_THROW(upsample2_conv3d(random_tensor<float>({2, 2, 2, 3}, 3), w, Tensorf()), ShapeError);
  EXPECT_THROW(upsample2_conv3d(x, random_tensor<float>({4, 2, 3, 3, 3}, 4), Tensorf()),
               ShapeError);
  EXPECT_THROW(upsample2_conv3d(x, random_tensor<float>({4, 3, 2, 2, 2}, 5), Tensorf()),
               ShapeError);
  EXPECT_THROW(upsample2_conv3d(x, w, random_tensor<float>({3}, 6)), ShapeError);
}

}  // namespace
}  // namespace pf::test
