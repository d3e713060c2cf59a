// Smoke trajectories: the initial noise, frames and their times, seeding per trajectory, a
// plume that rises, and the deck's checks.
#include "core/error.hpp"
#include "io/hdf5.hpp"
#include "parallel/comm.hpp"
#include "scratch_dir.hpp"
#include "sim/simulate.hpp"
#include "sim/smoke3d/initial_smoke.hpp"
#include "sim/smoke3d/smoke_deck.hpp"
#include "sim/smoke3d/trajectory.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace {

using namespace pf::sim::smoke;
using pf::Index;

SmokeConfig small_config() {
  SmokeConfig c;
  c.grid = MacGrid{16, 8.0};  // dx = 0.5: the reference's physics on a coarse grid
  c.warmup_steps = 2;
  c.n_frames = 4;
  c.frame_every = 2;
  c.seed = 3;
  return c;
}

std::vector<SmokeFrame> run(const SmokeConfig& c, Index traj) {
  std::vector<SmokeFrame> frames;
  run_trajectory(c, traj, [&](const SmokeFrame& f) { frames.push_back(f); });
  return frames;
}

TEST(Smoke3dNoise, UnitVarianceZeroMeanBeforeTheAbsoluteValue) {
  const MacGrid g{16, 8.0};
  std::vector<double> s(std::size_t(g.cells()));
  pf::Rng rng(1);
  smoke_noise(g, NoiseParams{}, rng, s.data());
  // |x|² = x²: the mean square is the variance of the zero-mean field before abs, 1 by
  // construction (round-off of a 4096-term sum).
  double sq = 0, mean = 0;
  for (double x : s) {
    EXPECT_GE(x, 0.0);
    sq += x * x;
    mean += x;
  }
  EXPECT_NEAR(sq / double(s.size()), 1.0, 1e-12);
  mean /= double(s.size());
  // A smooth field of a few dominant modes: its mean |x| scatters around √(2/π) ≈ 0.80.
  EXPECT_GT(mean, 0.5);
  EXPECT_LT(mean, 1.0);
  // Smooth: neighbouring cells differ by much less than the field's spread.
  double jump = 0;
  for (std::size_t m = 1; m < s.size(); ++m)
    if (m % 16 != 0) jump = std::max(jump, std::abs(std::abs(s[m]) - std::abs(s[m - 1])));
  EXPECT_LT(jump, 0.5);
}

TEST(Smoke3dTrajectory, FramesAtTheirTimesSeededPerTrajectory) {
  const SmokeConfig c = small_config();
  const auto frames = run(c, 1);
  ASSERT_EQ(frames.size(), 4u);
  const std::vector<double> times = frame_times(c);
  for (std::size_t k = 0; k < frames.size(); ++k) {
    EXPECT_EQ(frames[k].index, Index(k));
    // After 2 warm-up steps, every second step: steps 4, 6, 8, 10 at dt = 0.75.
    EXPECT_DOUBLE_EQ(frames[k].time, 0.75 * double(2 + 2 * (k + 1)));
    EXPECT_DOUBLE_EQ(times[k], frames[k].time);
    EXPECT_EQ(frames[k].density.size(), std::size_t(16 * 16 * 16));
    EXPECT_EQ(frames[k].velocity.size(), std::size_t(16 * 16 * 16 * 3));
    // Face differences are |v|/dx ≲ 5 here: round-off leaves ~1e-14 (measured), bounded at
    // 1e-12.
    EXPECT_LT(frames[k].diagnostics.max_divergence, 1e-12);
  }
  EXPECT_EQ(trajectory_steps(c), 10);
  // The same trajectory again: the same bits; another index: another field.
  const auto again = run(c, 1);
  EXPECT_EQ(again.back().density, frames.back().density);
  EXPECT_EQ(again.back().velocity, frames.back().velocity);
  const auto other = run(c, 2);
  EXPECT_NE(other.front().density, frames.front().density);
}

TEST(Smoke3dTrajectory, CentredVelocityAveragesTheTwoFaces) {
  const MacGrid g{4, 8.0};
  Velocity v(g);
  for (int a = 0; a < 3; ++a)
    for (std::size_t m = 0; m < v.c[std::size_t(a)].size(); ++m)
      v.c[std::size_t(a)][m] = double(m) + 100.0 * a;
  std::vector<float> out(std::size_t(g.cells() * 3));
  centred_velocity(g, v, out.data());
  // Cell (1, 2, 3): u faces (1,2,3) and (2,2,3) on [5,4,4]; v faces (1,2,3), (1,3,3) on [4,5,4];
  // w faces (1,2,3), (1,2,4) on [4,4,5].
  const float* o = out.data() + ((1 * 4 + 2) * 4 + 3) * 3;
  EXPECT_FLOAT_EQ(o[0], float(0.5 * ((1 * 4 + 2) * 4 + 3 + (2 * 4 + 2) * 4 + 3)));
  EXPECT_FLOAT_EQ(o[1], float(100 + 0.5 * ((1 * 5 + 2) * 4 + 3 + (1 * 5 + 3) * 4 + 3)));
  EXPECT_FLOAT_EQ(o[2], float(200 + 0.5 * ((1 * 4 + 2) * 5 + 3 + (1 * 4 + 2) * 5 + 4)));
}

TEST(Smoke3dTrajectory, PlumeRises) {
  // Smoke-rich fluid is lighter: released from rest, it rises and its centre of mass with it.
  // Measured at 16³ (box height 8): z_c rises every step, 4.01 → 5.26 (semi-Lagrangian) and
  // 5.31 (MacCormack) after 9 steps, then overshoots as the smoke meets the lid.
  SmokeConfig c = small_config();
  c.warmup_steps = 0;
  c.frame_every = 1;
  c.n_frames = 9;
  for (Advection scheme : {Advection::SemiLagrangian, Advection::MacCormack}) {
    c.params.advection = scheme;
    const auto frames = run(c, 0);
    for (std::size_t k = 1; k < frames.size(); ++k)
      EXPECT_GT(frames[k].diagnostics.z_center, frames[k - 1].diagnostics.z_center) << k;
    EXPECT_GT(frames.back().diagnostics.z_center, frames.front().diagnostics.z_center + 1.0);
    EXPECT_GT(frames.back().diagnostics.kinetic_energy, 0.0);
  }
}

TEST(Smoke3dDeck, DefaultsAreTheReferenceAndBadValuesNameTheirKey) {
  const pf::DeckSchema schema = pf::sim::simulator_schema("smoke3d");
  const SmokeConfig c = pf::sim::smoke3d_config(pf::Deck::resolve(schema, "", {}));
  EXPECT_EQ(c.grid.n, 64);
  EXPECT_DOUBLE_EQ(c.grid.dx(), 0.125);
  EXPECT_DOUBLE_EQ(c.params.dt, 0.75);
  EXPECT_DOUBLE_EQ(c.params.buoyancy, 0.5);
  EXPECT_DOUBLE_EQ(c.params.viscosity, 0.003);
  EXPECT_EQ(c.params.walls, Walls::ZeroGhost);
  EXPECT_EQ(c.params.advection, Advection::SemiLagrangian);
  EXPECT_EQ(c.warmup_steps, 8);
  EXPECT_EQ(c.n_frames, 20);
  EXPECT_EQ(c.frame_every, 1);
  const auto expect_error = [&](const std::vector<std::string>& sets, const std::string& key) {
    try {
      pf::sim::smoke3d_config(pf::Deck::resolve(schema, "", sets));
      ADD_FAILURE() << sets.front() << " accepted";
    } catch (const pf::InputError& e) {
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
    }
  };
  expect_error({"grid.n=1"}, "grid.n");
  expect_error({"grid.length=0.0"}, "grid.length");
  // ν·dt/dx² = 0.004·0.75·64 = 0.192 > 1/6.
  expect_error({"physics.viscosity=0.004"}, "physics.viscosity");
  expect_error({"grid.n=128"}, "physics.viscosity");  // dx halves: 0.576
  expect_error({"physics.viscosity=-1.0"}, "physics.viscosity");
  expect_error({"physics.walls=sticky"}, "physics.walls");
  expect_error({"time.advection=rk4"}, "time.advection");
  expect_error({"time.dt=0.0"}, "time.dt");
  expect_error({"time.n_frames=0"}, "time.n_frames");
  expect_error({"time.frame_every=0"}, "time.frame_every");
  expect_error({"time.warmup_steps=-1"}, "time.warmup_steps");
  expect_error({"output.n_trajectories=0"}, "output.n_trajectories");
  expect_error({"initial.noise_scale=0.0"}, "initial.noise_scale");
  EXPECT_EQ(pf::sim::simulator_of("", {"simulator=smoke3d"}), "smoke3d");
}

TEST(Smoke3dSimulate, FileHoldsTheTrajectoriesFramesAndWalls) {
  // Through run_simulation on this process's ranks: each trajectory's frames and series land in
  // its row, 3D density and 3-component velocity as the trajectory produced them.
  pf::testing::ScratchDir dir;
  const pf::DeckSchema schema = pf::sim::simulator_schema("smoke3d");
  const pf::Deck deck = pf::Deck::resolve(schema, "",
                                          {"grid.n=8", "time.warmup_steps=1", "time.n_frames=2",
                                           "output.n_trajectories=2", "output.seed=5"});
  const std::string path = dir.file("smoke.h5");
  pf::sim::run_simulation(deck, {path, "test"}, pf::Comm::world());
  const SmokeConfig c = pf::sim::smoke3d_config(deck);
  const pf::h5::File f = pf::h5::File::open_read(path);
  const auto density = f.read<float>("/t0_fields/density");
  const auto velocity = f.read<float>("/t1_fields/velocity");
  EXPECT_EQ(density.shape, (pf::Shape{2, 2, 8, 8, 8}));
  EXPECT_EQ(velocity.shape, (pf::Shape{2, 2, 8, 8, 8, 3}));
  const auto mass = f.read<double>("/scalars/smoke_mass");
  for (Index traj = 0; traj < 2; ++traj) {
    const auto frames = run(c, traj);
    for (std::size_t k = 0; k < 2; ++k) {
      const auto d0 = density.values.begin() + std::ptrdiff_t((traj * 2 + Index(k)) * 512);
      const auto v0 = velocity.values.begin() + std::ptrdiff_t((traj * 2 + Index(k)) * 512 * 3);
      EXPECT_TRUE(std::equal(frames[k].density.begin(), frames[k].density.end(), d0));
      EXPECT_TRUE(std::equal(frames[k].velocity.begin(), frames[k].velocity.end(), v0));
      EXPECT_EQ(mass.values[std::size_t(traj * 2) + k], frames[k].diagnostics.mass);
    }
  }
  const auto time = f.read<float>("/dimensions/time");
  EXPECT_EQ(time.values, (std::vector<float>{1.5f, 2.25f}));
  for (const char* axis : {"x", "y", "z"})
    EXPECT_EQ(f.string_attr(std::string("/boundary_conditions/") + axis + "_wall", "bc_type"),
              "WALL");
  EXPECT_NE(f.string_attr("/", "config").find("simulator = \"smoke3d\""), std::string::npos);
}

}  // namespace
