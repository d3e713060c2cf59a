// Series files, a Well file's scalars as a series, and the LTSF protocol: split arithmetic (ETT
// borders, fractions), window counts, standardisation on the training rows only, feature modes.
#include "core/error.hpp"
#include "data/series.hpp"
#include "data/series_windows.hpp"
#include "data/well_writer.hpp"
#include "scratch_dir.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace pf::data {
namespace {

Series ramp(Index rows, Index channels) {
  Series s;
  s.rows = rows;
  for (Index c = 0; c < channels; ++c)
    s.channels.push_back("c" + std::to_string(c));
  for (Index r = 0; r < rows; ++r)
    for (Index c = 0; c < channels; ++c)
      s.values.push_back(float(r * 10 + c));  // row r, channel c → 10 r + c: windows readable
  return s;
}

TEST(TsSeriesFile, WriteReadRoundTrip) {
  testing::ScratchDir dir;
  Series s = ramp(5, 2);
  s.time = {0, 10, 20, 30, 40};
  s.time_unit = "step";
  s.sampling_interval = 10;
  s.source = "unit test";
  s.split_borders = {2, 3, 5};
  s.import_settings = "rows = 5\n";
  write_series(dir.file("s.h5"), s, "test");
  const Series r = read_series(dir.file("s.h5"));
  EXPECT_EQ(r.values, s.values);
  EXPECT_EQ(r.channels, s.channels);
  EXPECT_EQ(r.time, s.time);
  EXPECT_EQ(r.time_unit, "step");
  EXPECT_EQ(r.sampling_interval, 10);
  EXPECT_EQ(r.split_borders, s.split_borders);
  EXPECT_EQ(r.source, "unit test");
  EXPECT_EQ(r.import_settings, s.import_settings);
  EXPECT_THROW(read_series(dir.file("missing.h5")), InputError);
}

TEST(TsSeriesFile, WellScalarsOfOneTrajectory) {
  testing::ScratchDir dir;
  WellHeader h;
  h.dataset_name = "toy";
  h.axes = {{"x", {0, 1}, "periodic"}, {"y", {0, 1}, "periodic"}};
  h.time = {0.5, 1.0, 1.5};
  h.n_traj = 2;
  h.fields = {{"u", 0}};
  h.scalars = {"energy", "dissipation"};
  h.parameters = {{"Re", 100}};
  {
    WellWriter w(dir.file("w.h5"), h);
    const float frame[4] = {0, 0, 0, 0};
    for (Index t = 0; t < 2; ++t)
      for (Index k = 0; k < 3; ++k)
        w.write_frame("u", t, k, frame);
    for (Index t = 0; t < 2; ++t) {
      w.write_scalar_series("energy", t, {1.0 + t, 2.0 + t, 3.0 + t});
      w.write_scalar_series("dissipation", t, {-1.0 - t, -2.0 - t, -3.0 - t});
    }
    w.commit();
  }
  const Series s = read_series(dir.file("w.h5"), 1);
  EXPECT_EQ(s.channels, (std::vector<std::string>{"energy", "dissipation"}));  // Re is constant
  EXPECT_EQ(s.values, (std::vector<float>{2, -2, 3, -3, 4, -4}));
  EXPECT_EQ(s.time, (std::vector<double>{0.5, 1.0, 1.5}));
  EXPECT_EQ(s.sampling_interval, 0.5);
  EXPECT_EQ(s.time_unit, "simulation time");
  try {
    read_series(dir.file("w.h5"), 2);
    FAIL() << "trajectory 2 of 2 was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("expected an index in [0, 2), found 2"),
              std::string::npos);
  }
}

TEST(TsSplit, EttBordersAndWindowCountsMatchTheReference) {
  // Dataset_ETT_hour: border2s = [12·30·24, +4·30·24, +4·30·24]; ETTh1 has 17,420 rows.
  const SplitRows h = split_ett(17420, 1.0);
  EXPECT_EQ(h.train_end, 8640);
  EXPECT_EQ(h.valid_end, 11520);
  EXPECT_EQ(h.test_end, 14400);
  const SplitRows m = split_ett(69680, 4.0);  // Dataset_ETT_minute: ×4
  EXPECT_EQ(m.train_end, 34560);
  EXPECT_EQ(m.test_end, 57600);
  EXPECT_THROW(split_ett(14399, 1.0), InputError);
  EXPECT_THROW(split_ett(20000, 0.5), InputError);

  // L = 336, T = 96: train 8640 − 336 − 96 + 1; valid/test inputs start L rows before their
  // border, so each has 2880 − 96 + 1 = 2785 windows (TSLib logs "test 2785").
  WindowProtocol p;
  p.seq_len = 336;
  p.pred_len = 96;
  p.split = h;
  const SeriesWindows w(ramp(17420, 1), p);
  EXPECT_EQ(w.count(Part::Train), 8209);
  EXPECT_EQ(w.count(Part::Valid), 2785);
  EXPECT_EQ(w.count(Part::Test), 2785);
  EXPECT_EQ(w.first_input_row(Part::Test), 11520 - 336);
  // PatchTST's drop_last test loader at batch 128 loses 97 of them; we keep all.
  EXPECT_EQ(dropped_by_drop_last(w.count(Part::Test), 128), 97);
  // Window 0 of the test part: inputs rows [11184, 11520), targets [11520, 11616).
  const WindowBatch b = w.batch(Part::Test, {0, 2784});
  const auto x = b.x.to_host(), y = b.y.to_host();
  // Values are 10·row; standardised in fp32 (|z| ≲ 4, rounding 4·6e-8) and scaled back by
  // std ≈ 2.5e4, so 0.1 (a hundredth of a row) bounds the round-off and still pins the row.
  const double mean = w.scaler().mean[0], sd = w.scaler().std[0];
  EXPECT_NEAR(x[0] * sd + mean, 111840, 0.1);
  EXPECT_NEAR(y[0] * sd + mean, 115200, 0.1);
  EXPECT_NEAR(y[2 * 96 - 1] * sd + mean, 143990, 0.1);  // last target row 14399
}

TEST(TsSplit, FractionsTruncateLikePythonInt) {
  // Dataset_Custom: num_train = int(n·0.7), num_test = int(n·0.2), valid the rest.
  const SplitRows s = split_by_fractions(52696, 0.7, 0.2);  // Weather
  EXPECT_EQ(s.train_end, 36887);
  EXPECT_EQ(s.valid_end, 52696 - 10539);
  EXPECT_EQ(s.test_end, 52696);
  EXPECT_THROW(split_by_fractions(100, 0.9, 0.2), InputError);
  EXPECT_THROW(split_explicit(100, {50, 40, 100}), InputError);
  EXPECT_THROW(split_explicit(100, {50, 60, 101}), InputError);
  EXPECT_EQ(split_explicit(100, {50, 60, 90}).valid_end, 60);
}

TEST(TsWindows, StandardisationUsesTrainingRowsOnly) {
  Series s = ramp(100, 2);
  // Rows past training get a huge offset: the scaler must not see them.
  for (Index r = 60; r < 100; ++r)
    s.values[size_t(r * 2)] += 1e4f;
  WindowProtocol p;
  p.seq_len = 8;
  p.pred_len = 4;
  p.split = {60, 80, 100};
  const SeriesWindows w(s, p);
  // Channel 0 on rows 0..59: 10 r → mean 295, population std 10·sqrt((60² − 1)/12).
  EXPECT_NEAR(w.scaler().mean[0], 295.0, 1e-9);
  EXPECT_NEAR(w.scaler().std[0], 10 * std::sqrt((3600.0 - 1) / 12), 1e-9);
  EXPECT_NEAR(w.scaler().mean[1], 296.0, 1e-9);
  const auto x = w.batch(Part::Train, {0}).x.to_host();
  EXPECT_NEAR(x[0], (0 - 295.0) / w.scaler().std[0], 1e-6);
  p.scale = false;
  const SeriesWindows raw(s, p);
  EXPECT_EQ(raw.batch(Part::Train, {3}).x.to_host()[0], 30.0f);
}

TEST(TsWindows, FeatureModesPickAndOrderColumns) {
  const Series s = ramp(50, 3);
  WindowProtocol p;
  p.seq_len = 5;
  p.pred_len = 2;
  p.split = {30, 40, 50};
  p.scale = false;
  p.target = "c0";
  p.features = FeatureMode::M;
  const SeriesWindows m(s, p);
  EXPECT_EQ(m.columns(), (std::vector<std::string>{"c1", "c2", "c0"}));  // target moved last
  EXPECT_EQ(m.output_offset(), 0);
  EXPECT_EQ(m.batch(Part::Train, {0}).x.to_host()[2], 0.0f);  // c0 of row 0
  p.features = FeatureMode::MS;
  const SeriesWindows ms(s, p);
  EXPECT_EQ(ms.channels(), 3);
  EXPECT_EQ(ms.output_offset(), 2);
  p.features = FeatureMode::S;
  const SeriesWindows one(s, p);
  EXPECT_EQ(one.columns(), std::vector<std::string>{"c0"});
  const auto y = one.batch(Part::Train, {1}).y.to_host();
  EXPECT_EQ(y, (std::vector<float>{60, 70}));  // rows 6, 7 of c0
  p.target = "nope";
  EXPECT_THROW(SeriesWindows(s, p), InputError);
  EXPECT_THROW(parse_feature_mode("X"), InputError);
}

TEST(TsWindows, TooShortSplitsHaveNoWindows) {
  WindowProtocol p;
  p.seq_len = 20;
  p.pred_len = 10;
  p.split = split_by_fractions(40, 0.7, 0.2);  // 28 / 4 / 8 rows
  const SeriesWindows w(ramp(40, 1), p);
  EXPECT_EQ(w.count(Part::Train), 0);  // 28 < 30
  EXPECT_EQ(w.count(Part::Valid), 0);  // 4 rows < pred_len
  EXPECT_EQ(w.count(Part::Test), 0);
  EXPECT_EQ(w.last_input().shape(), (Shape{1, 20, 1}));
}

}  // namespace
}  // namespace pf::data
