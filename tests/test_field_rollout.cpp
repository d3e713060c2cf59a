// The autoregressive plumbing of field models: window layout, window advance, rollouts by
// several model calls, and the reference's latent-step curriculum.
#include "core/error.hpp"
#include "core/rng.hpp"
#include "models/factformer/factformer2d.hpp"
#include "surrogate/rollout.hpp"
#include "surrogate/train_field.hpp"
#include "tensor/ops.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace pf {
namespace {

// frames [B, T, X, Y, C] with value 1000·b + 100·t + 10·(x·Y + y) + c: every entry says where it
// came from.
Tensor<float> labelled_frames(Index b, Index t, Index x, Index y, Index c) {
  std::vector<float> v;
  for (Index ib = 0; ib < b; ++ib)
    for (Index it = 0; it < t; ++it)
      for (Index ix = 0; ix < x; ++ix)
        for (Index iy = 0; iy < y; ++iy)
          for (Index ic = 0; ic < c; ++ic)
            v.push_back(float(1000 * ib + 100 * it + 10 * (ix * y + iy) + ic));
  return Tensor<float>::from_host({b, t, x, y, c}, v);
}

TEST(FieldRollout, FramesBecomeTimeMajorChannels) {
  const Tensor<float> frames = labelled_frames(2, 3, 2, 2, 2);
  const Tensor<float> window = frames_to_channels(frames);
  ASSERT_EQ(window.shape(), (Shape{2, 2, 2, 6}));
  const std::vector<float> w = window.to_host();
  // [b=1, x=1, y=0, channel t·C + c = 2·2 + 1]: frame t=2, component c=1 of point (1, 0).
  EXPECT_EQ(w[((1 * 2 + 1) * 2 + 0) * 6 + 5], 1000 + 200 + 10 * 2 + 1);
}

TEST(FieldRollout, AdvancingDropsTheOldestFramesAndAppendsPredictions) {
  const Tensor<float> window = labelled_frames(1, 4, 2, 1, 2);
  // Predictions labelled as frames 4 and 5 of the same trajectory.
  const Tensor<float> predicted = slice(labelled_frames(1, 6, 2, 1, 2), 1, 4, 6);
  const Tensor<float> advanced = advance_window(window, predicted);
  EXPECT_EQ(advanced.shape(), window.shape());
  EXPECT_EQ(advanced.to_host(), slice(labelled_frames(1, 6, 2, 1, 2), 1, 2, 6).to_host());
  // More predicted frames than the window holds: the window is the newest of them.
  const Tensor<float> many = slice(labelled_frames(1, 10, 2, 1, 2), 1, 4, 10);
  EXPECT_EQ(advance_window(window, many).to_host(),
            slice(labelled_frames(1, 10, 2, 1, 2), 1, 6, 10).to_host());
  // A frame of another shape is a programming error.
  EXPECT_THROW(advance_window(window, labelled_frames(1, 2, 2, 2, 2)), ShapeError);
}

TEST(FieldRollout, RolloutChainsModelCallsOnTheAdvancedWindow) {
  FactFormer2DConfig config;
  config.in_channels = 3;
  config.out_channels = 1;
  config.dim = 16;
  config.depth = 1;
  config.heads = 2;
  config.dim_head = 8;
  config.max_latent_steps = 4;
  config.fourier_features = 8;
  Rng rng(3);
  auto model = std::make_shared<FactFormer2D>(config, rng);
  model->set_training(false);
  FactFormer2DField field(model);
  NoGradGuard no_grad;
  Rng data_rng(5);
  std::vector<float> v(2 * 3 * 6 * 5);
  for (float& x : v)
    x = float(data_rng.normal());
  const Tensor<float> frames = Tensor<float>::from_host({2, 3, 6, 5, 1}, v);

  const Tensor<float> rolled = rollout(field, frames, 6, 4);
  ASSERT_EQ(rolled.shape(), (Shape{2, 6, 6, 5, 1}));
  // The model itself on the window as time-major channels, the second call on frames 4..6.
  const Tensor<float> first = model->forward(frames_to_channels(frames), 4);
  const Tensor<float> second = model->forward(
      frames_to_channels(slice(concat(std::vector<Tensor<float>>{frames, first}, 1), 1, 4, 7)), 4);
  const std::vector<float> expected =
      concat(std::vector<Tensor<float>>{first, slice(second, 1, 0, 2)}, 1).to_host();
  // Same operations on the same inputs: bit-identical.
  EXPECT_EQ(rolled.to_host(), expected);
}

TEST(FieldRollout, CurriculumMatchesTheReferenceSampler) {
  // The reference's CurriculumSampler(1, 4, 6000): 1 + ⌊3·step/6000⌋, held at 4 after 6000.
  EXPECT_EQ(curriculum_latent_steps(0, 1, 4, 6000), 1);
  EXPECT_EQ(curriculum_latent_steps(1999, 1, 4, 6000), 1);
  EXPECT_EQ(curriculum_latent_steps(2000, 1, 4, 6000), 2);
  EXPECT_EQ(curriculum_latent_steps(5999, 1, 4, 6000), 3);
  EXPECT_EQ(curriculum_latent_steps(6000, 1, 4, 6000), 4);
  EXPECT_EQ(curriculum_latent_steps(90000, 1, 4, 6000), 4);
  EXPECT_EQ(curriculum_latent_steps(10, 2, 2, 100), 2);
}

}  // namespace
}  // namespace pf
