// Kolmogorov-flow trajectories: frame times, subsampling, seeding, adaptive steps, blow-up
// reporting, and the deck's checks.
#include "core/error.hpp"
#include "sim/kolmogorov/kolmogorov_deck.hpp"
#include "sim/kolmogorov/trajectory.hpp"
#include "sim/simulate.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

namespace {

using namespace pf::sim;
using pf::Index;

KolmogorovConfig small_config() {
  KolmogorovConfig c;
  c.solve_n = 32;
  c.store_n = 16;
  c.flow.k_f = 4;
  c.flow.amplitude = -4;
  c.warmup = 0.3;  // not a multiple of frame_dt: the last warm-up interval is shorter
  c.frame_dt = 0.125;
  c.n_frames = 5;
  c.dt = 1.0 / 64;
  c.velocity = true;
  return c;
}

std::vector<TrajectoryFrame> run(const KolmogorovConfig& c, Index traj) {
  std::vector<TrajectoryFrame> frames;
  run_trajectory(c, traj, [&](const TrajectoryFrame& f) { frames.push_back(f); });
  return frames;
}

TEST(KolmogorovTrajectory, FramesLandOnTheirTimesAndSubsampleTheSolverGrid) {
  KolmogorovConfig c = small_config();
  const auto frames = run(c, 0);
  ASSERT_EQ(frames.size(), 5u);
  for (Index k = 0; k < 5; ++k) {
    EXPECT_EQ(frames[std::size_t(k)].index, k);
    EXPECT_EQ(frames[std::size_t(k)].time, 0.3 + 0.125 * double(k));  // exactly, no drift
    EXPECT_EQ(frames[std::size_t(k)].vorticity.size(), 16u * 16u);
    EXPECT_EQ(frames[std::size_t(k)].velocity.size(), 16u * 16u * 2u);
  }
  EXPECT_EQ(frames[1].dt, 0.125 / 8);  // 1/64 divides the interval: 8 equal steps
  // Storing the full grid gives the points the subsampled frame took every second of.
  c.store_n = 32;
  const auto full = run(c, 0);
  for (Index i = 0; i < 16; ++i)
    for (Index j = 0; j < 16; ++j) {
      const auto sub = std::size_t(i * 16 + j), fine = std::size_t(2 * i * 32 + 2 * j);
      ASSERT_EQ(frames[4].vorticity[sub], full[4].vorticity[fine]);
      ASSERT_EQ(frames[4].velocity[2 * sub + 1], full[4].velocity[2 * fine + 1]);
    }
}

TEST(KolmogorovTrajectory, EachTrajectoryHasItsOwnReproducibleSeed) {
  const KolmogorovConfig c = small_config();
  const auto a = run(c, 3), b = run(c, 3), other = run(c, 4);
  EXPECT_EQ(a[4].vorticity, b[4].vorticity);  // bitwise: same stream, deterministic FFT plans
  EXPECT_NE(a[0].vorticity, other[0].vorticity);
}

TEST(KolmogorovTrajectory, AdaptiveStepsRespectTheCflLimitAndConverge) {
  KolmogorovConfig fixed = small_config();
  fixed.dt = 1.0 / 1024;
  const auto reference = run(fixed, 1);
  const double dx = 2 * M_PI / 32;
  // Relative max difference of the last frame from the fine fixed-step run.
  const auto adaptive_error = [&](double cfl) {
    KolmogorovConfig c = small_config();
    c.adaptive = true;
    c.cfl = cfl;
    c.dt = 0.1;  // only an upper bound now: the CFL limit is far below it
    const auto frames = run(c, 1);
    for (const auto& f : frames) {
      EXPECT_EQ(f.time, 0.3 + 0.125 * double(f.index));
      if (f.index > 0) EXPECT_LE(f.dt, cfl * dx);
    }
    double err = 0, scale = 0;
    for (std::size_t m = 0; m < reference[4].vorticity.size(); ++m) {
      err = std::max(err, double(std::abs(frames[4].vorticity[m] - reference[4].vorticity[m])));
      scale = std::max(scale, double(std::abs(reference[4].vorticity[m])));
    }
    return err / scale;
  };
  const double e2 = adaptive_error(0.2), e1 = adaptive_error(0.1);
  std::printf("adaptive vs fine fixed dt: relative difference %.2e (cfl 0.2), %.2e (cfl 0.1)\n", e2,
              e1);
  // Halving the CFL number halves every step: a second-order scheme's error falls 4 times
  // (measured 2.0e-3 → 5.4e-4; the fine run's own error, (6.8)² times smaller, is ~1e-5).
  EXPECT_NEAR(e2 / e1, 4.0, 0.6);
}

TEST(KolmogorovTrajectory, BlowUpIsReportedWithTrajectoryAndTime) {
  KolmogorovConfig c = small_config();
  c.solve_n = 64;
  c.store_n = 64;
  c.dt = 0.5;  // CFL ≈ 10: the explicit advection step diverges within a few intervals
  c.frame_dt = 0.5;
  c.n_frames = 200;
  try {
    run(c, 7);
    FAIL() << "expected a NonFiniteError";
  } catch (const pf::NonFiniteError& e) {
    const std::string what = e.what();
    std::printf("%s\n", what.c_str());
    EXPECT_NE(what.find("trajectory 7"), std::string::npos) << what;
    EXPECT_NE(what.find("t = "), std::string::npos) << what;
  }
}

TEST(KolmogorovDeck, DefaultsResolveAndBadValuesNameTheirKey) {
  const pf::DeckSchema schema = simulator_schema("kolmogorov2d");
  const auto defaults = pf::Deck::resolve(schema, "", {});
  const KolmogorovConfig c = kolmogorov2d_config(defaults);
  EXPECT_EQ(c.solve_n, 192);
  EXPECT_DOUBLE_EQ(c.flow.nu, 1e-3);
  EXPECT_EQ(c.scheme, Scheme::CnHeun);
  const auto expect_error = [&](const std::string& set, const std::string& key) {
    try {
      kolmogorov2d_config(pf::Deck::resolve(schema, "", {set}));
      ADD_FAILURE() << set << " accepted";
    } catch (const pf::InputError& e) {
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
    }
  };
  expect_error("grid.store_n=50", "grid.store_n");  // does not divide 192
  expect_error("physics.forcing_wavenumber=65", "physics.forcing_wavenumber");  // > 192/3
  expect_error("time.dt=0.0", "time.dt");
  EXPECT_THROW(simulator_schema("smoke"), pf::InputError);
  EXPECT_EQ(simulator_of("", {"simulator=\"kolmogorov2d\""}), "kolmogorov2d");
  EXPECT_EQ(simulator_of("", {"grid.solve_n=64", "simulator=smoke3d"}), "smoke3d");
}

}  // namespace
