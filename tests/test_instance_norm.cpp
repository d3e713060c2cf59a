// instance_norm against a host loop in fp64, gradients against finite differences.
#include "gradcheck.hpp"
#include "nn/conv.hpp"
#include "tensor/ops_conv.hpp"

#include <cmath>

namespace pf::test {
namespace {

// Per (b, c) over the middle axes: (x − mean) / √(biased var + eps), two-pass in fp64.
std::vector<double> host_instance_norm(const std::vector<double>& x, Index B, Index S, Index C,
                                       double eps) {
  std::vector<double> y(x.size());
  for (Index b = 0; b < B; ++b)
    for (Index c = 0; c < C; ++c) {
      double m = 0, v = 0;
      for (Index s = 0; s < S; ++s)
        m += x[(b * S + s) * C + c];
      m /= double(S);
      for (Index s = 0; s < S; ++s)
        v += std::pow(x[(b * S + s) * C + c] - m, 2);
      const double r = 1 / std::sqrt(v / double(S) + eps);
      for (Index s = 0; s < S; ++s)
        y[(b * S + s) * C + c] = (x[(b * S + s) * C + c] - m) * r;
    }
  return y;
}

std::vector<double> to_double(const std::vector<float>& v) {
  return {v.begin(), v.end()};
}

// fp32 vs fp64: sums over ≤ 360 points in blocks of 64, outputs O(1); 1e-5 relative is ~100 ulps.
// The offset case (mean 1000, spread 1) loses ~3 more digits to x − mean in float: 2e-3.
TEST(InstanceNorm, ForwardMatchesHostLoop) {
  struct Case {
    Shape shape;
    double offset, tol;
  };
  for (const Case& c :
       {Case{{2, 5, 4, 3, 6}, 0, 1e-5}, Case{{1, 7, 3}, 0, 1e-5}, Case{{2, 4, 5, 3}, 0, 1e-5},
        Case{{2, 9, 8, 5, 3}, 0, 1e-5}, Case{{1, 6, 5, 4, 2}, 1000, 2e-3}}) {
    SCOPED_TRACE(to_string(c.shape));
    const Tensorf x = random_tensor<float>(c.shape, 3, c.offset - 1, c.offset + 1);
    const Index B = c.shape.front(), C = c.shape.back(), S = x.numel() / (B * C);
    const Tensorf y = instance_norm(x, 1e-5f);
    EXPECT_EQ(y.shape(), c.shape);
    expect_all_near(to_double(y.to_host()),
                    host_instance_norm(to_double(x.to_host()), B, S, C, 1e-5), c.tol);
  }
  // eps matters when a channel is constant: output 0, not NaN.
  const Tensorf flat = Tensorf::full({1, 4, 4, 2}, 3.0f);
  for (float v : instance_norm(flat).to_host())
    EXPECT_EQ(v, 0.0f);
}

TEST(InstanceNorm, GradientsMatchFiniteDifferences) {
  // [2, 4, 3, 5, 3]: 3-D, B = 2; [1, 70, 2]: 70 points span two partial-sum blocks.
  for (const Shape& s : {Shape{2, 4, 3, 5, 3}, Shape{1, 70, 2}, Shape{2, 3, 4, 3}}) {
    SCOPED_TRACE(to_string(s));
    expect_gradients_match([](const std::vector<Tensord>& in) { return instance_norm(in[0]); },
                           {param(s, 41)});
  }
}

TEST(InstanceNorm, RejectsSinglePointOrMissingAxes) {
  EXPECT_THROW(instance_norm(random_tensor<float>({2, 3}, 1)), ShapeError);
  EXPECT_THROW(instance_norm(random_tensor<float>({2, 1, 1, 3}, 1)), ShapeError);
  const InstanceNorm<float> norm;
  EXPECT_TRUE(norm.named_parameters().empty());
}

}  // namespace
}  // namespace pf::test
