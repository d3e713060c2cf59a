// Modules, initialisation, the batch sampler and the shared training loop.
#include "gradcheck.hpp"
#include "nn/layers.hpp"
#include "scratch_dir.hpp"
#include "train/checkpoint.hpp"
#include "train/train_loop.hpp"

#include <cmath>
#include <filesystem>

namespace pf::test {
namespace {

// Two blocks named like a PyTorch model: blocks.<i>.{norm,proj,bn}.
class TinyNet : public Module<float> {
 public:
  explicit TinyNet(Rng& rng) {
    for (int i = 0; i < 2; ++i) {
      register_module("blocks." + std::to_string(i) + ".norm",
                      std::make_shared<LayerNorm<float>>(4));
      proj.push_back(register_module("blocks." + std::to_string(i) + ".proj",
                                     std::make_shared<Linear<float>>(4, 4, i == 0, rng)));
    }
    bn = register_module("bn", std::make_shared<BatchNorm<float>>(4));
  }
  std::vector<std::shared_ptr<Linear<float>>> proj;
  std::shared_ptr<BatchNorm<float>> bn;
};

TEST(Module, HierarchicalNamesFollowPyTorch) {
  Rng rng(0);
  TinyNet net(rng);
  std::vector<std::string> names;
  for (const auto& [name, t] : net.state_dict())
    names.push_back(name);
  const std::vector<std::string> want = {"blocks.0.norm.weight",
                                         "blocks.0.norm.bias",
                                         "blocks.0.proj.weight",
                                         "blocks.0.proj.bias",
                                         "blocks.1.norm.weight",
                                         "blocks.1.norm.bias",
                                         "blocks.1.proj.weight",
                                         "bn.weight",
                                         "bn.bias",
                                         "bn.running_mean",
                                         "bn.running_var",
                                         "bn.num_batches_tracked"};
  EXPECT_EQ(names, want);
  EXPECT_EQ(net.named_parameters().size(), 9u);
  EXPECT_EQ(net.named_buffers().size(), 3u);
  EXPECT_EQ(net.parameter_count(), 4 * 2 + 16 + 4 + 4 * 2 + 16 + 8);
  EXPECT_EQ(net.state_dict()[2].second.shape(), (Shape{4, 4}));  // [out, in] as torch stores it
}

TEST(Module, InitialisationIsDeterministicAndBounded) {
  Rng a(42), b(42), c(43);
  const Linear<float> la(16, 8, true, a), lb(16, 8, true, b), lc(16, 8, true, c);
  EXPECT_EQ(la.weight.to_host(), lb.weight.to_host());
  EXPECT_NE(la.weight.to_host(), lc.weight.to_host());
  const double bound = 1.0 / std::sqrt(16.0);  // PyTorch: kaiming_uniform(a=√5) → 1/√fan_in
  double lo = 1, hi = -1;
  for (float v : la.weight.to_host())
    lo = std::min<double>(lo, v), hi = std::max<double>(hi, v);
  EXPECT_GE(lo, -bound);
  EXPECT_LE(hi, bound);
  EXPECT_GT(hi - lo, bound);  // spread over the interval, not collapsed
  Rng d(1);
  const PointwiseConv<float> conv(8, 6, 2, 2, false, d);
  EXPECT_EQ(conv.weight.shape(), (Shape{6, 4, 1, 1}));
}

TEST(Module, BatchNormTracksBatchesInTrainingOnly) {
  BatchNorm<float> bn(3);
  const Tensorf x = random_tensor<float>({4, 3, 2}, 5);
  bn.forward(x);
  bn.forward(x);
  EXPECT_EQ(bn.num_batches_tracked.item(), 2.0f);
  bn.set_training(false);
  const auto before = bn.running_mean.to_host();
  bn.forward(x);
  EXPECT_EQ(bn.running_mean.to_host(), before);
  EXPECT_EQ(bn.num_batches_tracked.item(), 2.0f);
}

TEST(BatchSampler, EpochsArePermutationsAndRestoreRedrawsThem) {
  BatchSampler s(10, 3, 0, 1, 9);
  EXPECT_EQ(s.batches_per_epoch(), 3);  // 10 samples: the last incomplete batch is skipped
  std::vector<std::int64_t> seen;
  for (int step = 0; step < 3; ++step)
    for (auto i : s.local_batch(step))
      seen.push_back(i);
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(std::unique(seen.begin(), seen.end()), seen.end());
  // Checkpoints after steps 3 (an epoch boundary: epoch 1 not drawn yet) and 5 (mid-epoch):
  // restoring either must reproduce every later batch of the uninterrupted sampler.
  for (std::int64_t at : {3, 5}) {
    BatchSampler straight(10, 3, 0, 1, 9);
    for (std::int64_t step = 0; step < at; ++step)
      straight.local_batch(step);
    const auto state = straight.epoch_start_state(at);
    BatchSampler resumed(10, 3, 0, 1, 9);
    resumed.restore(at, state);
    for (std::int64_t step = at; step < at + 7; ++step)
      ASSERT_EQ(resumed.local_batch(step), straight.local_batch(step)) << "resumed at " << at;
  }
  EXPECT_THROW(BatchSampler(10, 3, 0, 2, 9), InputError);  // 3 does not split over 2 ranks
  EXPECT_THROW(BatchSampler(2, 4, 0, 1, 9), InputError);   // batch larger than the data
}

TEST(TrainLoop, NonFiniteLossStopsAndKeepsTheLastGoodCheckpoint) {
  pf::testing::ScratchDir dir;
  Rng rng(0);
  Mlp<float> model({2, 8, 1}, Activation::Tanh, rng);
  Adam<float> adam(model.named_parameters(), AdamConfig{});
  ScheduleConfig sc;
  sc.total_steps = 10;
  BatchSampler sampler(16, 4, 0, 1, 3);
  TrainLoopConfig tc;
  tc.steps = 10;
  tc.checkpoint_every = 2;
  tc.output_dir = dir.path();
  TrainLoop loop(model, adam, LrSchedule(sc), sampler, Comm::world(), tc);
  const Tensorf x = random_tensor<float>({4, 2}, 1);
  try {
    loop.run([&](std::int64_t step, const std::vector<std::int64_t>&) {
      const Tensorf y = model.forward(x);
      // From step 5 on the loss is log(−1) = NaN.
      return step < 5 ? mean_all(square(y)) : mean_all(log(affine(square(y), -1.0f, -1.0f)));
    });
    FAIL() << "training went on through a NaN loss";
  } catch (const NonFiniteError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("step 5"), std::string::npos) << msg;
    EXPECT_NE(msg.find("checkpoint_4.h5"), std::string::npos) << msg;
  }
  EXPECT_EQ(latest_checkpoint(dir.path()), checkpoint_path(dir.path(), 4));
  EXPECT_EQ(read_checkpoint(checkpoint_path(dir.path(), 4)).step, 4);
  EXPECT_EQ(adam.steps_taken(), 5);  // the bad step was never applied
}

TEST(Adam, StateRoundTripAndMismatchesAreNamed) {
  Rng rng(0);
  Mlp<float> model({2, 3, 1}, Activation::Gelu, rng);
  Adam<float> adam(model.named_parameters(), AdamConfig{});
  NamedTensors<float> state = adam.state();
  EXPECT_EQ(state.size(), 8u);
  EXPECT_EQ(state[0].first, "exp_avg/layers.0.weight");
  state.pop_back();
  state[0].second = Tensorf::zeros({5});
  try {
    adam.load_state(state, 3);
    FAIL();
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("exp_avg_sq/layers.2.bias"), std::string::npos) << msg;
    EXPECT_NE(msg.find("expected shape [3, 2], found [5]"), std::string::npos) << msg;
  }
}

}  // namespace
}  // namespace pf::test
