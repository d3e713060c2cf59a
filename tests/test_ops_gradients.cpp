// Finite-difference gradient check (fp64) for every differentiable op; tolerance: GradTolerance.
#include "gradcheck.hpp"

namespace pf::test {
namespace {

using Inputs = std::vector<Tensord>;

TEST(OpGradient, BroadcastingArithmetic) {
  // [2,3,4] op [3,1] and [4]: gradients must be summed over the broadcast axes.
  for (int op = 0; op < 4; ++op) {
    expect_gradients_match(
        [op](const Inputs& in) {
          switch (op) {
            case 0:
              return add(in[0], in[1]);
            case 1:
              return sub(in[0], in[1]);
            case 2:
              return mul(in[0], in[1]);
            default:
              return div(in[0], in[1]);
          }
        },
        {param({2, 3, 4}, 1), param({3, 1}, 2, 0.5, 2.0)});
    expect_gradients_match([](const Inputs& in) { return mul(in[0], in[1]); },
                           {param({4}, 3), param({2, 3, 4}, 4)});
  }
}

TEST(OpGradient, ScalarAffineAndPower) {
  expect_gradients_match([](const Inputs& in) { return affine(in[0], 2.5, -1.0); },
                         {param({3, 5}, 5)});
  expect_gradients_match([](const Inputs& in) { return pow(in[0], 1.7); },
                         {param({3, 5}, 6, 0.2, 2.0)});
}

TEST(OpGradient, PointwiseFunctions) {
  using Fn = Tensord (*)(const Tensord&);
  const std::vector<std::pair<const char*, Fn>> fns = {
      {"gelu", gelu<double>},       {"silu", silu<double>}, {"softplus", softplus<double>},
      {"sigmoid", sigmoid<double>}, {"tanh", tanh<double>}, {"exp", exp<double>},
      {"square", square<double>}};
  for (const auto& [name, fn] : fns) {
    SCOPED_TRACE(name);
    expect_gradients_match([fn = fn](const Inputs& in) { return fn(in[0]); },
                           {param({4, 6}, 7, -3, 3)});
  }
  // Positive domains, and away from the kinks of relu/abs (FD is not valid at a kink).
  expect_gradients_match([](const Inputs& in) { return log(in[0]); }, {param({4, 6}, 8, 0.1, 3)});
  expect_gradients_match([](const Inputs& in) { return sqrt(in[0]); }, {param({4, 6}, 9, 0.1, 3)});
  expect_gradients_match([](const Inputs& in) { return relu(in[0]); }, {param({4, 6}, 10, 0.1, 3)});
  expect_gradients_match([](const Inputs& in) { return relu(in[0]); },
                         {param({4, 6}, 11, -3, -0.1)});
  expect_gradients_match([](const Inputs& in) { return abs(in[0]); }, {param({4, 6}, 12, 0.1, 3)});
  expect_gradients_match([](const Inputs& in) { return abs(in[0]); },
                         {param({4, 6}, 13, -3, -0.1)});
  // Softplus above its linear threshold (20).
  expect_gradients_match([](const Inputs& in) { return softplus(in[0]); },
                         {param({5}, 14, 21, 25)});
}

TEST(OpGradient, Reductions) {
  expect_gradients_match(
      [](const Inputs& in) {
        return sum(in[0], {0, 2});
      },
      {param({2, 3, 4}, 15)});
  expect_gradients_match([](const Inputs& in) { return mean(in[0], {-1}, true); },
                         {param({2, 3, 4}, 16)});
  expect_gradients_match([](const Inputs& in) { return var(in[0], {1}, true); },
                         {param({2, 3, 4}, 17)});
  expect_gradients_match(
      [](const Inputs& in) {
        return var(in[0], {0, 2}, false, true);
      },
      {param({2, 3, 4}, 18)});
  expect_gradients_match([](const Inputs& in) { return sum_all(in[0]); }, {param({2, 3}, 19)});
  expect_gradients_match(
      [](const Inputs& in) {
        return sum_to(in[0], {3, 1});
      },
      {param({2, 3, 4}, 20)});
}

TEST(OpGradient, ShapeOps) {
  expect_gradients_match(
      [](const Inputs& in) {
        return reshape(in[0], {4, -1});
      },
      {param({2, 3, 4}, 21)});
  expect_gradients_match(
      [](const Inputs& in) {
        return permute(in[0], {2, 0, 1});
      },
      {param({2, 3, 4}, 22)});
  expect_gradients_match([](const Inputs& in) { return transpose(in[0], 0, 1); },
                         {param({3, 5}, 23)});
  expect_gradients_match([](const Inputs& in) { return slice(in[0], 1, 1, 5, 2); },
                         {param({2, 6, 3}, 24)});
  expect_gradients_match(
      [](const Inputs& in) {
        return concat<double>({in[0], in[1], in[0]}, 1);
      },
      {param({2, 3, 2}, 25), param({2, 1, 2}, 26)});
  expect_gradients_match(
      [](const Inputs& in) {
        return pad(in[0], {0, 1, 2}, {1, 0, 2}, 0.5);
      },
      {param({2, 3, 2}, 27)});
  expect_gradients_match(
      [](const Inputs& in) {
        return broadcast_to(in[0], {2, 3, 4});
      },
      {param({3, 1}, 28)});
}

TEST(OpGradient, Matmul) {
  for (bool ta : {false, true})
    for (bool tb : {false, true}) {
      SCOPED_TRACE(std::string("trans_a=") + (ta ? "1" : "0") + " trans_b=" + (tb ? "1" : "0"));
      const Shape sa = ta ? Shape{2, 4, 3} : Shape{2, 3, 4};
      const Shape sb = tb ? Shape{2, 5, 4} : Shape{2, 4, 5};
      expect_gradients_match([=](const Inputs& in) { return matmul(in[0], in[1], ta, tb); },
                             {param(sa, 29), param(sb, 30)});
      // Shared 2-D right operand: its gradient sums over the batch.
      const Shape sb2 = tb ? Shape{5, 4} : Shape{4, 5};
      expect_gradients_match([=](const Inputs& in) { return matmul(in[0], in[1], ta, tb); },
                             {param(sa, 31), param(sb2, 32)});
    }
}

TEST(OpGradient, LinearConvEmbedding) {
  expect_gradients_match([](const Inputs& in) { return linear(in[0], in[1], in[2]); },
                         {param({2, 3, 4}, 33), param({5, 4}, 34), param({5}, 35)});
  expect_gradients_match([](const Inputs& in) { return linear(in[0], in[1], Tensord()); },
                         {param({3, 4}, 36), param({2, 4}, 37)});
  // Grouped 1×1 conv, as FactFormer's decoder uses: [N, Cin, H, W], groups 2.
  expect_gradients_match([](const Inputs& in) { return conv1x1(in[0], in[1], in[2], 2); },
                         {param({2, 4, 3, 2}, 38), param({6, 2, 1, 1}, 39), param({6}, 40)});
  const IndexVec idx = make_index({2, 0, 2, 1, 3, 3});
  expect_gradients_match(
      [idx](const Inputs& in) {
        return embedding(idx, {2, 3}, in[0]);
      },
      {param({4, 3}, 41)});
}

TEST(OpGradient, GatherScatter) {
  const IndexVec idx = make_index({1, 0, 1, 3, 3});
  expect_gradients_match([idx](const Inputs& in) { return gather(in[0], 1, idx); },
                         {param({2, 4, 3}, 42)});
  expect_gradients_match([idx](const Inputs& in) { return scatter_add(in[0], 1, idx, 4); },
                         {param({2, 5, 3}, 43)});
}

TEST(OpGradient, Softmax) {
  expect_gradients_match([](const Inputs& in) { return softmax(in[0], 1); },
                         {param({2, 4, 3}, 44, -2, 2)});
  expect_gradients_match([](const Inputs& in) { return softmax(in[0], -1); },
                         {param({3, 5}, 45, -2, 2)});
  const IndexVec seg = make_index({0, 2, 0, 1, 2, 2, 0});
  expect_gradients_match([seg](const Inputs& in) { return segment_softmax(in[0], seg, 3); },
                         {param({7, 2}, 46, -2, 2)});
  expect_gradients_match([seg](const Inputs& in) { return segment_softmax(in[0], seg, 4); },
                         {param({7}, 47, -2, 2)});
}

TEST(OpGradient, Normalisation) {
  expect_gradients_match([](const Inputs& in) { return layer_norm(in[0], in[1], in[2], 1e-5); },
                         {param({3, 2, 6}, 48), param({6}, 49), param({6}, 50)});
  expect_gradients_match(
      [](const Inputs& in) { return layer_norm(in[0], Tensord(), Tensord(), 1e-5); },
      {param({4, 5}, 51)});
  expect_gradients_match([](const Inputs& in) { return group_norm(in[0], 2, in[1], in[2], 1e-5); },
                         {param({2, 4, 3, 2}, 52), param({4}, 53), param({4}, 54)});
  for (bool training : {true, false}) {
    SCOPED_TRACE(training ? "train" : "eval");
    // Fresh running statistics each evaluation so every FD probe sees the same eval statistics.
    expect_gradients_match(
        [training](const Inputs& in) {
          const Tensord rm = Tensord::full({3}, 0.2), rv = Tensord::full({3}, 1.5);
          return batch_norm(in[0], rm, rv, in[1], in[2], training, 0.1, 1e-5);
        },
        {param({4, 3, 5}, 55), param({3}, 56), param({3}, 57)});
  }
}

TEST(OpGradient, Losses) {
  expect_gradients_match([](const Inputs& in) { return mse_loss(in[0], in[1]); },
                         {param({3, 4}, 58), param({3, 4}, 59)});
  expect_gradients_match([](const Inputs& in) { return l1_loss(in[0], in[1]); },
                         {param({3, 4}, 60, 1, 2), param({3, 4}, 61, -2, -1)});
  expect_gradients_match([](const Inputs& in) { return rel_l2_loss(in[0], in[1]); },
                         {param({3, 2, 4}, 62), param({3, 2, 4}, 63)});
}

}  // namespace
}  // namespace pf::test
