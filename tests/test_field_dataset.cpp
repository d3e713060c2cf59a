// The Well-layout reader, windows, splits and normalisation against fixtures with known values.
#include "core/error.hpp"
#include "data/field_reader.hpp"
#include "data/normalization.hpp"
#include "data/split.hpp"
#include "data/window_dataset.hpp"
#include "field_fixtures.hpp"
#include "scratch_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <tuple>

namespace {

using pf::Index;
using namespace pf::data;
using pf::testing::fixture_value;

// Expected [count, points, C] for the Well fixture's selected (field index, component) channels.
std::vector<float> expected_frames(const pf::testing::WellSpec& spec,
                                   const std::vector<std::pair<int, int>>& channels, Index traj,
                                   Index t0, Index count) {
  std::vector<float> v;
  for (Index t = t0; t < t0 + count; ++t)
    for (Index p = 0; p < pf::numel(spec.spatial); ++p)
      for (auto [f, c] : channels)
        v.push_back(pf::testing::well_value(spec, f, c, traj, t, p));
  return v;
}

TEST(FieldDatasetWell, Inspect2DExpandsVectorsAndReadsMetadata) {
  pf::testing::ScratchDir dir;
  pf::testing::WellSpec spec;
  const auto path = dir.file("flow.hdf5");
  pf::testing::write_well_fixture(path, spec);
  const auto info = inspect_fields(path, {});
  EXPECT_EQ(info.layout, FieldLayout::Well);
  EXPECT_EQ(info.dataset_name, "fixture_flow");
  // File order: t0 fields in field_names order, then t1 fields.
  EXPECT_EQ(info.channels,
            (std::vector<std::string>{"density", "pressure", "velocity_x", "velocity_y"}));
  EXPECT_EQ(info.n_traj, 3);
  EXPECT_EQ(info.n_steps, 6);
  EXPECT_EQ(info.spatial_shape, (std::vector<Index>{4, 5}));
  ASSERT_EQ(info.coords.size(), 2u);
  for (size_t axis = 0; axis < 2; ++axis)
    for (Index i = 0; i < spec.spatial[axis]; ++i)
      EXPECT_EQ(info.coords[axis][size_t(i)], double(float(pf::testing::fixture_coord(axis, i))));
  ASSERT_EQ(info.time.size(), 6u);
  for (Index t = 0; t < 6; ++t)
    EXPECT_EQ(info.time[size_t(t)], pf::testing::fixture_time(0, t));
  EXPECT_EQ(info.bc, (std::vector<std::string>{"periodic", "wall"}));
  EXPECT_EQ(info.config, "[sim]\nre = 1000\n");
}

TEST(FieldDatasetWell, ReadFrames2DSelectedFieldsChannelsLast) {
  pf::testing::ScratchDir dir;
  pf::testing::WellSpec spec;
  const auto path = dir.file("flow.hdf5");
  pf::testing::write_well_fixture(path, spec);
  // Selection order is the caller's: velocity (field 1) before density (field 0).
  FieldReader reader(path, {"velocity", "density"});
  EXPECT_EQ(reader.info().channels,
            (std::vector<std::string>{"velocity_x", "velocity_y", "density"}));
  std::vector<float> got(size_t(3 * reader.info().frame_values()));
  reader.read_frames(2, 2, 3, got.data());
  EXPECT_EQ(got, expected_frames(spec, {{1, 0}, {1, 1}, {0, 0}}, 2, 2, 3));
  // A single scalar field takes the direct path (no interleaving).
  FieldReader single(path, {"pressure"});
  std::vector<float> one(size_t(single.info().frame_values()));
  single.read_frames(1, 5, 1, one.data());
  EXPECT_EQ(one, expected_frames(spec, {{2, 0}}, 1, 5, 1));
}

TEST(FieldDatasetWell, Reads3DWithTensorFieldAndPerSampleTime) {
  pf::testing::ScratchDir dir;
  pf::testing::WellSpec spec;
  spec.spatial = {3, 4, 2};
  spec.fields = {{"velocity", 1}, {"temperature", 0}, {"stress", 2}};
  spec.time_per_sample = true;
  spec.n_traj = 2;
  const auto path = dir.file("flow3d.hdf5");
  pf::testing::write_well_fixture(path, spec);
  FieldReader reader(path, {});
  const auto& info = reader.info();
  EXPECT_EQ(info.spatial_shape, (std::vector<Index>{3, 4, 2}));
  const std::vector<std::string> want{"temperature", "velocity_x", "velocity_y", "velocity_z",
                                      "stress_xx",   "stress_xy",  "stress_xz",  "stress_yx",
                                      "stress_yy",   "stress_yz",  "stress_zx",  "stress_zy",
                                      "stress_zz"};
  EXPECT_EQ(info.channels, want);
  // The fields each channel came from: scalar, vector, rank-2 tensor.
  ASSERT_EQ(info.fields.size(), 3u);
  const std::vector<std::tuple<std::string, int, Index, Index>> fields{
      {"temperature", 0, 0, 1}, {"velocity", 1, 1, 3}, {"stress", 2, 4, 9}};
  for (size_t f = 0; f < fields.size(); ++f) {
    const FieldGroup& g = info.fields[f];
    EXPECT_EQ(std::make_tuple(g.name, g.order, g.first_channel, g.components), fields[f]);
  }
  EXPECT_EQ(info.bc, (std::vector<std::string>{"periodic", "wall", "unknown"}));
  EXPECT_EQ(info.coords.size(), 3u);
  for (Index t = 0; t < spec.n_steps; ++t)
    EXPECT_EQ(info.time[size_t(t)], pf::testing::fixture_time(0, t));
  std::vector<std::pair<int, int>> channels{{1, 0}};
  for (int c = 0; c < 3; ++c)
    channels.push_back({0, c});
  for (int c = 0; c < 9; ++c)
    channels.push_back({2, c});
  std::vector<float> got(size_t(2 * info.frame_values()));
  reader.read_frames(1, 3, 2, got.data());
  EXPECT_EQ(got, expected_frames(spec, channels, 1, 3, 2));
}

// Fields constant over trajectories or time (sample_varying / time_varying false) are repeated.
TEST(FieldDatasetWell, ConstantFieldsBroadcast) {
  pf::testing::ScratchDir dir;
  pf::testing::WellSpec spec;
  spec.fields = {{"density", 0}, {"obstacle", 0, false, true}, {"forcing", 1, true, false}};
  const auto path = dir.file("flow.hdf5");
  pf::testing::write_well_fixture(path, spec);
  FieldReader reader(path, {});
  const auto& info = reader.info();
  EXPECT_EQ(info.n_traj, 3);
  EXPECT_EQ(info.n_steps, 6);
  EXPECT_EQ(info.channels,
            (std::vector<std::string>{"density", "obstacle", "forcing_x", "forcing_y"}));
  std::vector<float> got(size_t(3 * info.frame_values()));
  reader.read_frames(2, 3, 3, got.data());
  EXPECT_EQ(got, expected_frames(spec, {{0, 0}, {1, 0}, {2, 0}, {2, 1}}, 2, 3, 3));
  FieldReader alone(path, {"forcing"});  // time-constant and the only field: direct path
  std::vector<float> forcing(size_t(2 * alone.info().frame_values()));
  alone.read_frames(1, 4, 2, forcing.data());
  EXPECT_EQ(forcing, expected_frames(spec, {{2, 0}, {2, 1}}, 1, 4, 2));
}

TEST(FieldDatasetWindows, CountAndContentExact) {
  pf::testing::ScratchDir dir;
  pf::testing::WellSpec spec;
  spec.n_steps = 9;
  const auto path = dir.file("flow.hdf5");
  pf::testing::write_well_fixture(path, spec);
  auto reader =
      std::make_shared<const FieldReader>(path, std::vector<std::string>{"density", "velocity"});
  // Identity statistics so the batch holds the raw values.
  Normalization identity{reader->info().channels, {0, 0, 0}, {1, 1, 1}};
  // (9 - 3 - 2) / 2 + 1 = 3 windows per trajectory: starts 0, 2, 4.
  WindowDataset windows(reader, {2, 0}, {3, 2, 2}, identity);
  EXPECT_EQ(windows.windows_per_trajectory(), 3);
  ASSERT_EQ(windows.size(), 6);
  EXPECT_EQ(windows.window(0), std::make_pair(Index(2), Index(0)));
  EXPECT_EQ(windows.window(2), std::make_pair(Index(2), Index(4)));
  EXPECT_EQ(windows.window(4), std::make_pair(Index(0), Index(2)));
  const auto batch = windows.read_batch({4, 2});
  EXPECT_EQ(batch.in.shape(), (pf::Shape{2, 3, 4, 5, 3}));
  EXPECT_EQ(batch.out.shape(), (pf::Shape{2, 2, 4, 5, 3}));
  const std::vector<std::pair<int, int>> ch{{0, 0}, {1, 0}, {1, 1}};
  auto want_in = expected_frames(spec, ch, 0, 2, 3);
  auto more = expected_frames(spec, ch, 2, 4, 3);
  want_in.insert(want_in.end(), more.begin(), more.end());
  auto want_out = expected_frames(spec, ch, 0, 5, 2);
  more = expected_frames(spec, ch, 2, 7, 2);
  want_out.insert(want_out.end(), more.begin(), more.end());
  EXPECT_EQ(batch.in.to_host(), want_in);
  EXPECT_EQ(batch.out.to_host(), want_out);
}

TEST(FieldDatasetWindows, BatchIsNormalised) {
  pf::testing::ScratchDir dir;
  pf::testing::WellSpec spec;
  const auto path = dir.file("flow.hdf5");
  pf::testing::write_well_fixture(path, spec);
  auto reader = std::make_shared<const FieldReader>(path, std::vector<std::string>{"pressure"});
  Normalization norm{{"pressure"}, {2.5}, {4.0}};
  WindowDataset windows(reader, {1}, {2, 1, 1}, norm);
  const auto in = windows.read_batch({3}).in.to_host();
  const auto raw = expected_frames(spec, {{2, 0}}, 1, 3, 2);
  ASSERT_EQ(in.size(), raw.size());
  // (x − 2.5)·(1/4) in fp32: 1/4 is exact, so the result is bit-identical to (x − 2.5f)/4.
  for (size_t i = 0; i < in.size(); ++i)
    EXPECT_EQ(in[i], (raw[i] - 2.5f) / 4.0f);
}

TEST(FieldDatasetSplit, DeterministicDisjointAndCovering) {
  for (Index n : {3, 4, 10, 57}) {
    const auto a = split_trajectories(n, 0.1, 0.2, 42);
    const auto b = split_trajectories(n, 0.1, 0.2, 42);
    EXPECT_EQ(a.train, b.train);
    EXPECT_EQ(a.valid, b.valid);
    EXPECT_EQ(a.test, b.test);
    EXPECT_FALSE(a.train.empty());
    EXPECT_FALSE(a.valid.empty());
    EXPECT_FALSE(a.test.empty());
    std::vector<Index> all = a.train;
    all.insert(all.end(), a.valid.begin(), a.valid.end());
    all.insert(all.end(), a.test.begin(), a.test.end());
    std::sort(all.begin(), all.end());
    std::vector<Index> want(static_cast<size_t>(n));
    std::iota(want.begin(), want.end(), Index(0));
    EXPECT_EQ(all, want) << "n_traj " << n;  // disjoint and covering
  }
  const auto big = split_trajectories(100, 0.1, 0.2, 7);
  EXPECT_EQ(big.valid.size(), 10u);
  EXPECT_EQ(big.test.size(), 20u);
  EXPECT_NE(split_trajectories(100, 0.1, 0.2, 8).test, big.test);  // the seed matters
}

TEST(FieldDatasetSplit, TinyCountsAndBadFractions) {
  const auto one = split_trajectories(1, 0.2, 0.2, 1);
  EXPECT_EQ(one.train.size(), 1u);
  EXPECT_TRUE(one.valid.empty() && one.test.empty());
  const auto two = split_trajectories(2, 0.2, 0.2, 1);
  EXPECT_EQ(two.train.size(), 1u);
  EXPECT_EQ(two.valid.size(), 1u);
  EXPECT_TRUE(two.test.empty());
  EXPECT_TRUE(split_trajectories(10, 0.0, 0.0, 1).valid.empty());
  EXPECT_THROW(split_trajectories(10, 0.5, 0.5, 1), pf::InputError);
  EXPECT_THROW(split_trajectories(10, -0.1, 0.2, 1), pf::InputError);
  EXPECT_THROW(split_trajectories(0, 0.1, 0.1, 1), pf::InputError);
}

TEST(FieldDatasetNormalization, MatchesDirectComputation) {
  pf::testing::ScratchDir dir;
  pf::testing::WellSpec spec;
  spec.n_traj = 4;
  const auto path = dir.file("flow.hdf5");
  pf::testing::write_well_fixture(path, spec);
  FieldReader reader(path, {"velocity", "pressure"});
  const std::vector<Index> trajectories{0, 3};
  const auto norm = compute_normalization(reader, trajectories);
  EXPECT_EQ(norm.channels, reader.info().channels);
  const std::vector<std::pair<int, int>> ch{{1, 0}, {1, 1}, {2, 0}};
  for (size_t k = 0; k < ch.size(); ++k) {
    // Direct two-pass over every value of the chosen trajectories, in long double.
    std::vector<long double> values;
    for (Index b : trajectories)
      for (Index t = 0; t < spec.n_steps; ++t)
        for (Index p = 0; p < pf::numel(spec.spatial); ++p)
          values.push_back(fixture_value(ch[k].first, ch[k].second, b, t, p));
    long double mean = 0, m2 = 0;
    for (auto v : values)
      mean += v;
    mean /= values.size();
    for (auto v : values)
      m2 += (v - mean) * (v - mean);
    const double stddev = double(std::sqrt(m2 / values.size()));
    // 240 fp32 inputs summed in fp64: agreement to ~1e-15 relative; 1e-12 leaves a wide margin.
    EXPECT_NEAR(norm.mean[k], double(mean), 1e-12 * std::abs(double(mean)) + 1e-14);
    EXPECT_NEAR(norm.std[k], stddev, 1e-12 * stddev);
  }
}

TEST(FieldDatasetNormalization, ConstantChannelUsesFloor) {
  pf::testing::ScratchDir dir;
  const auto path = dir.file("const.hdf5");
  pf::testing::PdebenchSpec s;
  pf::testing::write_pdebench_incomp_fixture(path, s);
  {
    auto file = pf::h5::File::open_rw(path);
    file.write("/particles", std::vector<float>(size_t(s.n_traj * s.n_steps * s.nx * s.ny), 3.0f),
               {s.n_traj, s.n_steps, s.nx, s.ny, 1});
  }
  FieldReader reader(path, {"particles"});
  const auto norm = compute_normalization(reader, {0, 1, 2});
  EXPECT_EQ(norm.mean[0], 3.0);
  EXPECT_EQ(norm.std[0], pf::data::kStdFloor * 3.0);
  std::vector<float> x{3.0f, 3.0f};
  norm.normalize(x.data(), 2);
  EXPECT_EQ(x, (std::vector<float>{0.0f, 0.0f}));
}

TEST(FieldDatasetNormalization, RoundTripAndSaveLoad) {
  Normalization norm{{"a", "b", "c"}, {1.5, -20.0, 1e3}, {0.5, 3.0, 250.0}};
  std::vector<float> data;
  for (int i = 0; i < 30; ++i)
    data.push_back(float(std::sin(i) * 100));
  auto x = data;
  norm.normalize(x.data(), Index(x.size()));
  EXPECT_NEAR(x[2], (data[2] - 1e3) / 250.0, 1e-6);
  norm.denormalize(x.data(), Index(x.size()));
  // Two fp32 affine maps: a few ulps of the larger of |x| and |mean| (≤ 1e3 · 6e-8 · 4).
  for (size_t i = 0; i < x.size(); ++i)
    EXPECT_NEAR(x[i], data[i], 3e-4);
  EXPECT_THROW(norm.normalize(x.data(), 31), pf::ShapeError);

  pf::testing::ScratchDir dir;
  const auto path = dir.file("norm.h5");
  {
    auto file = pf::h5::File::create(path);
    norm.save(file, "/normalization");
  }
  const auto file = pf::h5::File::open_read(path);
  const auto back = Normalization::load(file, "/normalization");
  EXPECT_EQ(back.channels, norm.channels);
  EXPECT_EQ(back.mean, norm.mean);
  EXPECT_EQ(back.std, norm.std);
}

}  // namespace

namespace {

// A file written by h5py as the_well writes its files (tests/golden/make_well_h5py.py): enum
// bools, fixed-length spatial_dims, an empty field_names stored as an empty float64 array.
TEST(FieldDatasetWell, ReadsFileWrittenByH5py) {
  const std::string path = std::string(PF_SOURCE_DIR) + "/tests/data/well_h5py.hdf5";
  FieldReader reader(path, {});
  const auto& info = reader.info();
  EXPECT_EQ(info.dataset_name, "shear_flow");
  EXPECT_EQ(info.channels, (std::vector<std::string>{"tracer", "velocity_x", "velocity_y"}));
  EXPECT_EQ(info.spatial_shape, (std::vector<Index>{8, 6}));
  EXPECT_EQ(info.bc, (std::vector<std::string>{"periodic", "wall"}));
  EXPECT_EQ(info.time.back(), 1.0);
  EXPECT_EQ(info.coords[1][3], double(0.5f));
  // Against the datasets read whole, independently of the reader's box reads and interleaving.
  const auto file = pf::h5::File::open_read(path);
  const auto tracer = file.read<float>("/t0_fields/tracer").values;
  const auto velocity = file.read<float>("/t1_fields/velocity").values;
  const Index points = 48, steps = 5, traj = 1, t0 = 2, count = 3;
  std::vector<float> want;
  for (Index t = t0; t < t0 + count; ++t)
    for (Index p = 0; p < points; ++p) {
      const Index frame = (traj * steps + t) * points + p;
      want.push_back(tracer[size_t(frame)]);
      want.push_back(velocity[size_t(2 * frame)]);
      want.push_back(velocity[size_t(2 * frame + 1)]);
    }
  std::vector<float> got(want.size());
  reader.read_frames(traj, t0, count, got.data());
  EXPECT_EQ(got, want);
}

}  // namespace

namespace {

// The reader holds no handle between reads (the_well issue #51): HDF5 refuses to open a file for
// writing while this process still has it open read-only, so open_rw succeeding proves it.
TEST(FieldDatasetWell, NoHandleOutlivesARead) {
  pf::testing::ScratchDir dir;
  pf::testing::WellSpec spec;
  const auto path = dir.file("flow.hdf5");
  pf::testing::write_well_fixture(path, spec);
  FieldReader reader(path, {"density"});
  std::vector<float> frame(size_t(reader.info().frame_values()));
  reader.read_frames(0, 0, 1, frame.data());
  EXPECT_NO_THROW(pf::h5::File::open_rw(path).set_int_attr("/", "touched", 1));
  reader.read_frames(0, 1, 1, frame.data());  // and reads still work afterwards
  // The check can fail: with a read-only handle still open, opening for writing throws.
  const auto held = pf::h5::File::open_read(path);
  EXPECT_THROW(pf::h5::File::open_rw(path), pf::InputError);
}

}  // namespace
