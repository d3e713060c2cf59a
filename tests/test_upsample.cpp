// upsample_nearest against index arithmetic on the host, gradients against finite differences.
#include "gradcheck.hpp"
#include "tensor/ops_conv.hpp"

namespace pf::test {
namespace {

TEST(UpsampleNearest, CopiesEachPointIntoItsBlock) {
  // 3-D as in the decoder, plus 1-D and 2-D, odd extents and factor 3.
  for (const auto& [shape, f] : std::vector<std::pair<Shape, Index>>{
           {{2, 3, 2, 5, 4}, 2}, {{1, 4, 3}, 3}, {{2, 3, 5, 2}, 2}, {{1, 2, 2, 2, 1}, 1}}) {
    SCOPED_TRACE(to_string(shape));
    const Tensorf x = random_tensor<float>(shape, 5);
    const Tensorf y = upsample_nearest(x, f);
    Shape want_shape = shape;
    for (size_t a = 1; a + 1 < shape.size(); ++a)
      want_shape[a] *= f;
    ASSERT_EQ(y.shape(), want_shape);
    const auto hx = x.to_host(), hy = y.to_host();
    const int d = int(shape.size()) - 2;
    const Index C = shape.back();
    for (Index o = 0; o < y.numel(); ++o) {
      // Decode the output position, divide each spatial coordinate by f, re-encode.
      Index rest = o / C, src = 0, stride = C;
      for (int a = d; a >= 1; --a) {
        const Index coord = rest % want_shape[a];
        rest /= want_shape[a];
        src += (coord / f) * stride;
        stride *= shape[a];
      }
      src += rest * stride + o % C;
      ASSERT_EQ(hy[o], hx[src]) << "output element " << o;
    }
  }
}

TEST(UpsampleNearest, GradientsMatchFiniteDifferences) {
  for (const auto& [shape, f] :
       std::vector<std::pair<Shape, Index>>{{{2, 3, 2, 3, 2}, 2}, {{1, 3, 2, 3}, 3}}) {
    SCOPED_TRACE(to_string(shape));
    expect_gradients_match(
        [f = f](const std::vector<Tensord>& in) { return upsample_nearest(in[0], f); },
        {param(shape, 51)});
  }
}

TEST(UpsampleNearest, RejectsMissingAxesAndBadFactor) {
  EXPECT_THROW(upsample_nearest(random_tensor<float>({2, 3}, 1), 2), ShapeError);
  EXPECT_THROW(upsample_nearest(random_tensor<float>({1, 2, 2, 2, 3}, 1), 0), ShapeError);
}

}  // namespace
}  // namespace pf::test
