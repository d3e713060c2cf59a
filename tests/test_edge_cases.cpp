// Edge cases found in review: each of these once crashed, corrupted memory or gave a wrong value.
#include "gradcheck.hpp"
#include "optim/schedule.hpp"
#include "scratch_dir.hpp"
#include "train/checkpoint.hpp"

#include <fstream>

namespace pf::test {
namespace {

using Inputs = std::vector<Tensord>;

TEST(EdgeCases, ConcatOfDifferentRanksIsAShapeError) {
  EXPECT_THROW(concat<float>({Tensorf::zeros({2, 3}), Tensorf::zeros({3})}, 1), ShapeError);
}

TEST(EdgeCases, NegativeDimensionsAreRejected) {
  EXPECT_THROW(Tensorf::zeros({2, -3}), ShapeError);
  EXPECT_THROW(reshape(Tensorf::zeros({6}), {-2, -3}), ShapeError);
}

TEST(EdgeCases, PowerZeroHasZeroGradientAtZero) {
  Tensord x = Tensord::from_host({3}, {0.0, 1.0, -2.0});
  x.set_requires_grad(true);
  sum_all(pow(x, 0.0)).backward();
  for (double g : Tensord(x.grad(), {3}).to_host())
    EXPECT_EQ(g, 0.0);
}

TEST(EdgeCases, ZeroSizedOperandsGiveEmptyOrBiasOnlyResults) {
  // in = 0: y = x Wᵀ + b is the bias on every row (no division by the zero width).
  const Tensorf x = Tensorf::zeros({3, 0}), w = Tensorf::zeros({2, 0}),
                b = Tensorf::from_host({2}, {1.5f, -2.0f});
  EXPECT_EQ(linear(x, w, b).to_host(), (std::vector<float>{1.5f, -2.0f, 1.5f, -2.0f, 1.5f, -2.0f}));
  EXPECT_EQ(conv1x1(Tensorf::zeros({0, 4, 3}), Tensorf::zeros({2, 4, 1}), Tensorf(), 1).shape(),
            (Shape{0, 2, 3}));
  EXPECT_EQ(layer_norm(Tensorf::zeros({0, 5}), Tensorf(), Tensorf(), 1e-5f).numel(), 0);
}

TEST(EdgeCases, NormWeightAndBiasAreEachOptional) {
  const Tensord b = param({4}, 2);
  expect_gradients_match([](const Inputs& in) { return layer_norm(in[0], in[1], Tensord(), 1e-5); },
                         {param({3, 4}, 1), param({4}, 3)});
  expect_gradients_match([](const Inputs& in) { return layer_norm(in[0], Tensord(), in[1], 1e-5); },
                         {param({3, 4}, 1), b});
  expect_gradients_match(
      [](const Inputs& in) { return group_norm(in[0], 2, Tensord(), in[1], 1e-5); },
      {param({2, 4, 3}, 4), param({4}, 5)});
}

TEST(EdgeCases, BackwardOnALeafAccumulates) {
  Tensord x = Tensord::scalar(3.0);
  x.set_requires_grad(true);
  x.backward();
  x.backward();
  EXPECT_EQ(get_element(x.grad(), 0), 2.0);  // as torch: two backward calls add up
}

TEST(EdgeCases, OneCycleStaysAtItsFinalValuePastTheEnd) {
  ScheduleConfig c;
  c.kind = "onecycle";
  c.lr = 0.1;
  c.total_steps = 100;
  const LrSchedule s(c);
  EXPECT_DOUBLE_EQ(s.at(150).lr, s.at(99).lr);
  EXPECT_DOUBLE_EQ(*s.at(150).beta1, *s.at(99).beta1);
}

TEST(EdgeCases, CheckpointListingIgnoresOtherNames) {
  pf::testing::ScratchDir dir;
  for (const char* name : {"checkpoint_10.h5", "checkpoint_best.h5", "checkpoint_2.h5",
                           "checkpoint_99999999999999999999999.h5", "checkpoint_3.h5.tmp-1"})
    std::ofstream(dir.file(name)) << "x";
  const auto found = list_checkpoints(dir.path());
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].first, 2);
  EXPECT_EQ(found[1].first, 10);
  EXPECT_EQ(latest_checkpoint(dir.path()), dir.file("checkpoint_10.h5"));
}

}  // namespace
}  // namespace pf::test
