// PDEBench layouts through the shared field reader: flat CFD, incompressible NS, sample groups.
#include "data/field_reader.hpp"
#include "data/window_dataset.hpp"
#include "field_fixtures.hpp"
#include "scratch_dir.hpp"

#include <gtest/gtest.h>

namespace {

using pf::Index;
using namespace pf::data;
using pf::testing::fixture_value;

std::vector<float> expected(const pf::testing::PdebenchSpec& s,
                            const std::vector<std::pair<int, int>>& channels, Index traj, Index t0,
                            Index count) {
  std::vector<float> v;
  for (Index t = t0; t < t0 + count; ++t)
    for (Index p = 0; p < s.nx * s.ny; ++p)
      for (auto [f, c] : channels)
        v.push_back(fixture_value(f, c, traj, t, p));
  return v;
}

TEST(FieldDatasetPdebench, FlatCfdAllFieldsInCanonicalOrder) {
  pf::testing::ScratchDir dir;
  pf::testing::PdebenchSpec s;
  const auto path = dir.file("2D_CFD_Rand_M1.0_Eta0.1_Zeta0.1_periodic_128_Train.hdf5");
  pf::testing::write_pdebench_flat_fixture(path, s);
  FieldReader reader(path, {});
  const auto& info = reader.info();
  EXPECT_EQ(info.layout, FieldLayout::PdebenchFlat);
  EXPECT_EQ(info.channels, (std::vector<std::string>{"density", "pressure", "Vx", "Vy"}));
  EXPECT_EQ(info.n_traj, 3);
  EXPECT_EQ(info.n_steps, 5);
  EXPECT_EQ(info.spatial_shape, (std::vector<Index>{4, 3}));
  EXPECT_EQ(info.bc, (std::vector<std::string>{"periodic", "periodic"}));
  ASSERT_EQ(info.time.size(), 5u);  // t-coordinate's extra end time dropped
  EXPECT_EQ(info.time[4], pf::testing::fixture_time(0, 4));
  EXPECT_EQ(info.coords[1][2], double(float(pf::testing::fixture_coord(1, 2))));
  std::vector<float> got(size_t(2 * info.frame_values()));
  reader.read_frames(1, 2, 2, got.data());
  EXPECT_EQ(got, expected(s, {{0, 0}, {1, 0}, {2, 0}, {3, 0}}, 1, 2, 2));
}

TEST(FieldDatasetPdebench, FlatCfdSelectionAndTransmissiveBoundary) {
  pf::testing::ScratchDir dir;
  pf::testing::PdebenchSpec s;
  const auto path = dir.file("2D_CFD_Rand_M0.1_trans_Train.hdf5");
  pf::testing::write_pdebench_flat_fixture(path, s);
  FieldReader reader(path, {"Vy", "density"});
  EXPECT_EQ(reader.info().bc, (std::vector<std::string>{"open", "open"}));
  std::vector<float> got(size_t(reader.info().frame_values()));
  reader.read_frames(0, 4, 1, got.data());
  EXPECT_EQ(got, expected(s, {{3, 0}, {0, 0}}, 0, 4, 1));
}

TEST(FieldDatasetPdebench, IncompressibleNsVelocityAndParticles) {
  pf::testing::ScratchDir dir;
  pf::testing::PdebenchSpec s;
  const auto path = dir.file("ns_incom_inhom_2d_512-0.h5");
  pf::testing::write_pdebench_incomp_fixture(path, s);
  FieldReader reader(path, {});
  const auto& info = reader.info();
  EXPECT_EQ(info.layout, FieldLayout::PdebenchIncompNS);
  EXPECT_EQ(info.channels, (std::vector<std::string>{"velocity_x", "velocity_y", "particles"}));
  EXPECT_EQ(info.config, "sim:\n  visc: 0.01\n");
  EXPECT_EQ(info.time[3], pf::testing::fixture_time(0, 3));
  EXPECT_EQ(info.coords[0][0], 0.125);  // cell centre of 4 cells on [0, 1)
  std::vector<float> got(size_t(3 * info.frame_values()));
  reader.read_frames(2, 1, 3, got.data());
  EXPECT_EQ(got, expected(s, {{0, 0}, {0, 1}, {1, 0}}, 2, 1, 3));
  // The velocity alone has as many components as channels: read straight into place.
  FieldReader velocity(path, {"velocity"});
  std::vector<float> v(size_t(velocity.info().frame_values()));
  velocity.read_frames(0, 0, 1, v.data());
  EXPECT_EQ(v, expected(s, {{0, 0}, {0, 1}}, 0, 0, 1));
}

TEST(FieldDatasetPdebench, SampleGroupsWindows) {
  pf::testing::ScratchDir dir;
  pf::testing::PdebenchSpec s;
  s.n_steps = 6;
  const auto path = dir.file("2D_diff-react_NA_NA.h5");
  pf::testing::write_pdebench_groups_fixture(path, s, 2);
  auto reader = std::make_shared<const FieldReader>(path, std::vector<std::string>{});
  const auto& info = reader->info();
  EXPECT_EQ(info.layout, FieldLayout::PdebenchGroups);
  EXPECT_EQ(info.channels, (std::vector<std::string>{"data_0", "data_1"}));
  EXPECT_EQ(info.n_traj, 3);
  EXPECT_EQ(info.time[5], pf::testing::fixture_time(0, 5));
  WindowDataset windows(reader, {1, 2}, {4, 1, 1}, {info.channels, {0, 0}, {1, 1}});
  EXPECT_EQ(windows.size(), 4);  // 2 windows per trajectory
  const auto batch = windows.read_batch({3});
  EXPECT_EQ(batch.in.to_host(), expected(s, {{0, 0}, {0, 1}}, 2, 1, 4));
  EXPECT_EQ(batch.out.to_host(), expected(s, {{0, 0}, {0, 1}}, 2, 5, 1));
}

}  // namespace
