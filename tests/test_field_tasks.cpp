// The field-task table: each task's recipe defaults, model options checked against the data,
// and a FactFormer-3D rollout through the FieldModel interface with wall values imposed.
#include "core/error.hpp"
#include "core/rng.hpp"
#include "surrogate/field_task.hpp"
#include "surrogate/rollout.hpp"
#include "tensor/ops.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace pf {
namespace {

Deck defaults(const std::string& task, const std::vector<std::string>& sets = {}) {
  return Deck::resolve(field_task_schema(task), "", sets);
}

TEST(FieldTasks, SmokeRecipeIsTheReferences) {
  const Deck deck = defaults("factformer3d");
  EXPECT_EQ(field_task_of(deck).spatial_rank, 3);
  EXPECT_EQ(field_task_of(deck).loss, FieldLossKind::PerField);
  EXPECT_EQ(deck.get_string("task"), "factformer3d");
  EXPECT_EQ(deck.get_string("data.fields"), "density, velocity");
  EXPECT_EQ(deck.get_int("data.in_steps"), 4);
  EXPECT_EQ(deck.get_int("model.in_steps"), 4);
  EXPECT_EQ(deck.get_float("optim.lr"), 3e-4);
  EXPECT_EQ(deck.get_float("optim.weight_decay"), 1e-4);
  EXPECT_EQ(deck.get_float("schedule.pct_start"), 0.3);
  EXPECT_EQ(deck.get_float("train.clip_grad_norm"), 2.0);
  EXPECT_EQ(deck.get_int("train.batch_size"), 2);
  EXPECT_EQ(deck.get_int("train.curriculum_end"), 4);
  EXPECT_EQ(deck.get_int("train.curriculum_steps"), 6000);
  EXPECT_EQ(deck.get_int("train.pushforward_after"), 10000);
  EXPECT_EQ(deck.get_int("train.pushforward_rollouts"), 1);
  EXPECT_EQ(deck.get_int("eval.steps"), 16);
  EXPECT_EQ(deck.get_int("eval.latent_steps"), 4);
  EXPECT_EQ(deck.get_string("train.wall_velocity"), "lower_faces");
}

TEST(FieldTasks, KolmogorovRecipeUnchanged) {
  const Deck deck = defaults("factformer2d");
  EXPECT_EQ(field_task_of(deck).spatial_rank, 2);
  EXPECT_EQ(field_task_of(deck).loss, FieldLossKind::WholeFrames);
  EXPECT_EQ(deck.get_string("data.fields"), "");
  EXPECT_EQ(deck.get_int("data.in_steps"), 10);
  EXPECT_EQ(deck.get_float("optim.lr"), 5e-4);
  EXPECT_EQ(deck.get_float("schedule.pct_start"), 0.2);
  EXPECT_EQ(deck.get_float("train.clip_grad_norm"), 1.0);
  EXPECT_EQ(deck.get_int("train.batch_size"), 8);
  EXPECT_EQ(deck.get_int("train.pushforward_after"), 8000);
  EXPECT_EQ(deck.get_int("train.pushforward_rollouts"), 2);
  EXPECT_FALSE(deck.has("train.wall_velocity"));
}

TEST(FieldTasks, UnknownTaskListsTheTasks) {
  try {
    field_task_schema("factformer4d");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("factformer2d, factformer3d"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("factformer4d"), std::string::npos) << e.what();
  }
}

TEST(FieldTasks, ModelOptionsAreCheckedAgainstTheData) {
  Rng rng(1);
  const std::vector<std::string> small{"model.dim=16", "model.depth=1", "model.heads=2",
                                       "model.dim_head=8", "model.fourier_features=8"};
  const Deck deck = defaults("factformer3d", small);
  const FieldTask& task = field_task_of(deck);
  EXPECT_NE(task.make_model(deck, 4, rng), nullptr);
  const auto expect_key = [&](const Deck& d, Index channels, const std::string& key) {
    try {
      task.make_model(d, channels, rng);
      FAIL() << "no error for " << key;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
    }
  };
  expect_key(deck, 3, "model.in_fields");
  std::vector<std::string> window = small;
  window.push_back("data.in_steps=5");
  expect_key(defaults("factformer3d", window), 4, "model.in_steps");
  std::vector<std::string> out = small;
  out.push_back("model.out_fields=1");
  expect_key(defaults("factformer3d", out), 4, "model.out_fields");
}

TEST(FieldTasks, ThreeDRolloutFeedsBackFramesWithWallValuesImposed) {
  const Deck deck = defaults("factformer3d",
                             {"model.dim=16", "model.depth=1", "model.heads=2", "model.dim_head=8",
                              "model.fourier_features=8", "model.in_steps=2", "data.in_steps=2"});
  Rng rng(7);
  const std::unique_ptr<FieldModel> model = field_task_of(deck).make_model(deck, 4, rng);
  model->module().set_training(false);

  data::FieldFileInfo info;
  info.channels = {"density", "velocity_x", "velocity_y", "velocity_z"};
  info.fields = {{"density", 0, 0, 1}, {"velocity", 1, 1, 3}};
  info.spatial_shape = {4, 4, 4};
  info.bc = {"wall", "wall", "wall"};
  data::Normalization norm;
  norm.channels = info.channels;
  norm.mean = {0.5, 0.1, -0.1, 0.2};
  norm.std = {0.3, 0.2, 0.2, 0.4};
  const WallVelocity walls(WallSamples::LowerFaces, info, norm);

  NoGradGuard no_grad;
  Rng data_rng(9);
  std::vector<float> v(size_t(2 * 2 * 64 * 4));
  for (float& x : v)
    x = float(data_rng.normal());
  const Tensor<float> window = Tensor<float>::from_host({2, 2, 4, 4, 4, 4}, v);
  const Tensor<float> rolled = rollout(*model, window, 5, 3, &walls);
  ASSERT_EQ(rolled.shape(), (Shape{2, 5, 4, 4, 4, 4}));

  const Tensor<float> first = walls.impose_normalised(model->forward(window, 3));
  const Tensor<float> second =
      walls.impose_normalised(model->forward(advance_window(window, first), 3));
  const std::vector<float> expected =
      concat(std::vector<Tensor<float>>{first, slice(second, 1, 0, 2)}, 1).to_host();
  // Same operations on the same inputs: bit-identical.
  EXPECT_EQ(rolled.to_host(), expected);
  // The wall values hold the normalised zero of their channel in every predicted frame.
  const std::vector<float> r = rolled.to_host();
  for (Index frame = 0; frame < 10; ++frame)
    for (Index o : walls.offsets())
      ASSERT_EQ(r[size_t(frame * 256 + o)],
                float((0.0 - norm.mean[size_t(o % 4)]) / norm.std[size_t(o % 4)]));
}

}  // namespace
}  // namespace pf
