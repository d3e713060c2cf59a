// What the forecasting recipe adds to the shared training code: TSLib's lradj schedules as
// delayed step decay, and early stopping on the validation history that survives a resume.
#include "core/error.hpp"
#include "core/rng.hpp"
#include "nn/layers.hpp"
#include "optim/schedule.hpp"
#include "parallel/comm.hpp"
#include "scratch_dir.hpp"
#include "tensor/ops.hpp"
#include "train/train_loop.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace pf {
namespace {

TEST(TsSchedule, Type1HalvesEachEpochFromTheThird) {
  // TSLib adjust_learning_rate(type1) after epoch e (1-based) sets lr·0.5^(e−1) for the next:
  // epochs 0, 1, 2, 3 (from 0) run at lr, lr, lr/2, lr/4. 10 steps per epoch.
  ScheduleConfig sc;
  sc.kind = "step";
  sc.lr = 0.008;
  sc.total_steps = 40;
  sc.step_size = 10;
  sc.gamma = 0.5;
  sc.step_start = 10;
  const LrSchedule s(sc);
  for (auto [step, lr] : {std::pair<int, double>{0, 0.008},
                          {9, 0.008},
                          {10, 0.008},
                          {19, 0.008},
                          {20, 0.004},
                          {29, 0.004},
                          {30, 0.002}})
    EXPECT_DOUBLE_EQ(s.at(step).lr, lr) << "step " << step;
  sc.step_start = -1;
  EXPECT_THROW(LrSchedule{sc}, InputError);
}

// A loop whose validation losses follow a script: stops `patience` validations after the best.
struct ScriptedRun {
  pf::testing::ScratchDir dir;
  Rng rng{0};
  Mlp<float> model{{2, 4, 1}, Activation::Tanh, rng};
  Adam<float> adam{model.named_parameters(), AdamConfig{}};
  BatchSampler sampler{8, 4, 0, 1, 3};  // 2 steps per epoch
  std::vector<double> script{1.0, 0.5, 0.6, 0.4, 0.45, 0.41, 0.9, 0.3};
  size_t calls = 0;
  int bests = 0;

  std::unique_ptr<TrainLoop> loop(std::int64_t steps) {
    ScheduleConfig sc;
    sc.total_steps = 16;
    TrainLoopConfig tc;
    tc.steps = steps;
    tc.checkpoint_every = 2;
    tc.output_dir = dir.path();
    tc.validate_every = 2;
    tc.validate = [this] { return script.at(calls++); };
    tc.patience = 3;
    tc.on_best = [this] { ++bests; };
    return std::make_unique<TrainLoop>(model, adam, LrSchedule(sc), sampler, Comm::world(), tc);
  }
  static Tensor<float> loss(Mlp<float>& m) {
    return mean_all(square(m.forward(Tensor<float>::full({4, 2}, 0.5f))));
  }
};

TEST(TsEarlyStopping, StopsAfterPatienceValidationsWithoutImprovementAndStaysStopped) {
  ScriptedRun run;
  auto loop = run.loop(16);
  loop->run(
      [&](std::int64_t, const std::vector<std::int64_t>&) { return ScriptedRun::loss(run.model); });
  // Best 0.4 at the 4th validation (step 8); 0.45, 0.41, 0.9 do not beat it: stop at step 14.
  EXPECT_EQ(loop->step(), 14);
  EXPECT_TRUE(loop->stopped_early());
  EXPECT_EQ(run.bests, 3);  // 1.0, 0.5, 0.4
  EXPECT_EQ(latest_checkpoint(run.dir.path()), checkpoint_path(run.dir.path(), 14));
  // A resumed run reads the validation history and does not train on.
  auto again = run.loop(16);
  EXPECT_EQ(again->resume(), 14);
  again->run([&](std::int64_t, const std::vector<std::int64_t>&) {
    ADD_FAILURE() << "trained after early stopping";
    return ScriptedRun::loss(run.model);
  });
  EXPECT_EQ(again->step(), 14);
}

}  // namespace
}  // namespace pf
