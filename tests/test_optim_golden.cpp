// Adam/AdamW, clipping and schedules against PyTorch (tests/golden/make_optim_golden.py, fp64).
// Both sides compute in fp64 with the same formulas, so agreement is to ~1e-12; the 1e-10
// tolerance allows for the different summation order of the gradient reductions.
#include "gradcheck.hpp"
#include "optim/adam.hpp"
#include "optim/clip.hpp"
#include "optim/schedule.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

namespace pf::test {
namespace {

nlohmann::json golden() {
  std::ifstream f(std::string(PF_SOURCE_DIR) + "/tests/data/optim_golden.json");
  EXPECT_TRUE(f.good()) << "tests/data/optim_golden.json missing";
  return nlohmann::json::parse(f);
}

Tensord loss_at(const Tensord& w, const Tensord& b, int step) {
  std::vector<double> x(15), y(20);
  for (int r = 0; r < 5; ++r) {
    for (int c = 0; c < 3; ++c)
      x[r * 3 + c] = std::cos(0.5 * r + 0.2 * c + 0.1 * step);
    for (int c = 0; c < 4; ++c)
      y[r * 4 + c] = std::sin(0.3 * r - 0.4 * c);
  }
  const Tensord xt = Tensord::from_host({5, 3}, x), yt = Tensord::from_host({5, 4}, y);
  return sum_all(square(sub(tanh(add(matmul(xt, w), b)), yt)));
}

TEST(OptimGolden, AdamAndAdamWMatchPyTorch) {
  for (const auto& run : golden()["optimizers"]) {
    SCOPED_TRACE(run.dump().substr(0, 80));
    std::vector<double> w0(12), b0(4);
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 4; ++j)
        w0[i * 4 + j] = std::sin(0.7 * i + 0.3 * j);
    for (int k = 0; k < 4; ++k)
      b0[k] = 0.1 * (k - 1.5);
    Tensord w = Tensord::from_host({3, 4}, w0), b = Tensord::from_host({4}, b0);
    w.set_requires_grad(true);
    b.set_requires_grad(true);
    AdamConfig config;
    config.weight_decay = run["weight_decay"];
    config.decoupled = run["kind"] == "adamw";
    config.decay_vectors = run["decay_vectors"];
    const NamedTensors<double> params = {{"w", w}, {"b", b}};
    Adam<double> adam(params, config);
    const auto& norms = run["grad_norms"];
    for (int step = 0; step < int(run["steps"]); ++step) {
      adam.zero_grad();
      loss_at(w, b, step).backward();
      const double norm = clip_grad_norm(params, double(run["clip"]));
      ASSERT_NEAR(norm, double(norms[step]), 1e-10 * (1 + std::abs(double(norms[step]))));
      adam.step(double(run["lr"]));
    }
    expect_all_near(w.to_host(), run["w"].get<std::vector<double>>(), 1e-10, "w");
    expect_all_near(b.to_host(), run["b"].get<std::vector<double>>(), 1e-10, "b");
  }
}

TEST(OptimGolden, SchedulesMatchPyTorch) {
  for (const auto& run : golden()["schedules"]) {
    ScheduleConfig c;
    c.lr = 0.1;
    c.total_steps = run["total"];
    if (run["name"] == "onecycle") {
      c.kind = "onecycle";
      c.pct_start = 0.25;
    } else {
      c.kind = "step";
      c.step_size = 7;
      c.gamma = 0.5;
    }
    const LrSchedule schedule(c);
    for (int s = 0; s < int(run["total"]); ++s) {
      const ScheduleValue v = schedule.at(s);
      ASSERT_NEAR(v.lr, double(run["lr"][s]), 1e-12) << run["name"] << " step " << s;
      if (c.kind == "onecycle")
        ASSERT_NEAR(*v.beta1, double(run["beta1"][s]), 1e-12) << "beta1 step " << s;
    }
  }
}

TEST(Schedule, CosineWithWarmupAndConstant) {
  ScheduleConfig c;
  c.kind = "cosine";
  c.lr = 1.0;
  c.total_steps = 110;
  c.warmup_steps = 10;
  c.min_lr = 0.1;
  const LrSchedule s(c);
  EXPECT_DOUBLE_EQ(s.at(0).lr, 0.1);      // (0 + 1) / 10 of the peak
  EXPECT_DOUBLE_EQ(s.at(9).lr, 1.0);      // warm-up reaches the peak
  EXPECT_DOUBLE_EQ(s.at(10).lr, 1.0);     // cosine starts at the peak
  EXPECT_NEAR(s.at(60).lr, 0.55, 1e-12);  // half way: the mean of peak and floor
  EXPECT_NEAR(s.at(110).lr, 0.1, 1e-12);
  c.kind = "constant";
  EXPECT_DOUBLE_EQ(LrSchedule(c).at(57).lr, 1.0);
  EXPECT_FALSE(LrSchedule(c).at(57).beta1.has_value());
}

TEST(Schedule, InvalidSettingsAreNamed) {
  ScheduleConfig c;
  c.kind = "cosine";
  c.total_steps = 10;
  c.warmup_steps = 10;
  try {
    LrSchedule s(c);
    FAIL() << "accepted warm-up as long as the run";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("schedule.warmup_steps"), std::string::npos) << e.what();
  }
  c.kind = "linear";
  EXPECT_THROW(LrSchedule{c}, InputError);
}

TEST(Clip, ScalesOnlyAboveTheThreshold) {
  Tensord a = param({3}, 1);
  sum_all(scale(a, 4.0)).backward();  // gradient (4, 4, 4): norm √48
  const NamedTensors<double> params = {{"a", a}};
  EXPECT_NEAR(clip_grad_norm(params, 100.0), std::sqrt(48.0), 1e-12);
  EXPECT_DOUBLE_EQ(get_element(a.grad(), 0), 4.0);
  clip_grad_norm(params, 1.0);
  EXPECT_NEAR(global_grad_norm(params), 1.0, 1e-6);
}

}  // namespace
}  // namespace pf::test
