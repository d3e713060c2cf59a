// ComFormer's fused edge ops: forward equal to the unfused composition (gather, slice, add,
// mul) and finite-difference gradients in fp64, with repeated and unused indices.
#include "gradcheck.hpp"
#include "models/comformer/edge_ops.hpp"
#include "tensor/ops.hpp"

#include <gtest/gtest.h>

namespace pf::test {
namespace {

using comformer::gather_scale_mul;
using comformer::gather_sum3;

// Row 3 of a 4-row table is never gathered; rows 0 and 4, and 1 and 3, share a node.
const std::vector<Index> kIa = {0, 1, 2, 1, 0}, kIb = {2, 0, 0, 1, 2};

void expect_equal(const Tensord& a, const Tensord& b) {
  ASSERT_EQ(a.shape(), b.shape());
  const std::vector<double> x = a.to_host(), y = b.to_host();
  // Same sums of the same three terms, in a possibly different order: 1e-14 on O(1) values.
  for (std::size_t i = 0; i < x.size(); ++i)
    EXPECT_NEAR(x[i], y[i], 1e-14) << i;
}

TEST(ComformerEdgeOps, GatherSum3MatchesComposition) {
  const IndexVec ia = make_index(kIa), ib = make_index(kIb);
  const Tensord a = param({4, 7}, 1), b = param({3, 3}, 2), p = param({5, 6}, 3);
  NoGradGuard no_grad;
  const Tensord fused = gather_sum3(a, 4, ia, b, 0, ib, p, 2, 3);
  const Tensord plain =
      add(add(gather(slice(a, 1, 4, 7), 0, ia), gather(b, 0, ib)), slice(p, 1, 2, 5));
  expect_equal(fused, plain);
  EXPECT_THROW(gather_sum3(a, 5, ia, b, 0, ib, p, 2, 3), ShapeError);  // block past a's rows
  EXPECT_THROW(gather_sum3(a, 4, make_index({0, 1}), b, 0, ib, p, 2, 3), ShapeError);  // length
  EXPECT_THROW(gather_sum3(a, 4, ia, b, 0, make_index({0, 3, 0, 0, 0}), p, 2, 3),
               ShapeError);  // b has 3 rows
}

TEST(ComformerEdgeOps, GatherScaleMulMatchesComposition) {
  const IndexVec iq = make_index(kIa);
  const Tensord q = param({3, 8}, 4), x = param({5, 4}, 5);
  NoGradGuard no_grad;
  expect_equal(gather_scale_mul(q, 2, iq, x, 0.7),
               scale(mul(gather(slice(q, 1, 2, 6), 0, iq), x), 0.7));
  EXPECT_THROW(gather_scale_mul(q, 5, iq, x, 0.7), ShapeError);
}

TEST(ComformerEdgeOps, GradientsMatchFiniteDifferences) {
  const IndexVec ia = make_index(kIa), ib = make_index(kIb);
  expect_gradients_match(
      [&](const std::vector<Tensord>& in) {
        // The same table as both node operands, as ComformerConv reads [dst part | src part].
        const Tensord s = gather_sum3(in[0], 0, ia, in[0], 3, ib, in[1], 1, 3);
        return gather_scale_mul(in[2], 1, ia, s, 1.3);
      },
      {param({4, 6}, 6), param({5, 5}, 7), param({3, 5}, 8)});
}

}  // namespace
}  // namespace pf::test
