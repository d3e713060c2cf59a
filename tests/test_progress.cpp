// Progress lines: formatting, ETA, the windowed rate and throttling, on a fake clock.
#include "core/progress.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace pf {
namespace {

TEST(Progress, FormatDuration) {
  EXPECT_EQ(format_duration(0.042), "42 ms");
  EXPECT_EQ(format_duration(0.25), "250 ms");
  EXPECT_EQ(format_duration(0.9996), "1.0 s");
  EXPECT_EQ(format_duration(7.84), "7.8 s");
  EXPECT_EQ(format_duration(59.94), "59.9 s");
  EXPECT_EQ(format_duration(59.97), "1 min 00 s");  // rounds up into the next unit
  EXPECT_EQ(format_duration(192), "3 min 12 s");
  EXPECT_EQ(format_duration(3599.7), "1 h 00 min");
  EXPECT_EQ(format_duration(7500), "2 h 05 min");
  EXPECT_EQ(format_duration(3 * 86400 + 4 * 3600), "3 d 04 h");
  EXPECT_EQ(format_duration(std::nan("")), "--");
  EXPECT_EQ(format_duration(INFINITY), "--");
  EXPECT_EQ(format_duration(-1), "--");
}

TEST(Progress, FormatRate) {
  EXPECT_EQ(format_rate(153.24), "153.2 it/s");
  EXPECT_EQ(format_rate(1.0), "1.0 it/s");
  EXPECT_EQ(format_rate(0.4), "2.50 s/it");
  EXPECT_EQ(format_rate(0.0), "0.0 it/s");
  EXPECT_EQ(format_rate(std::nan("")), "-- it/s");
}

TEST(Progress, Eta) {
  EXPECT_DOUBLE_EQ(eta_seconds(1200, 5000, 100.0), 38.0);
  EXPECT_DOUBLE_EQ(eta_seconds(5000, 5000, 100.0), 0.0);
  EXPECT_TRUE(std::isnan(eta_seconds(10, 0, 100.0)));  // unknown total
  EXPECT_TRUE(std::isnan(eta_seconds(10, 100, 0.0)));  // stalled
  EXPECT_TRUE(std::isnan(eta_seconds(10, 100, std::nan(""))));
}

TEST(Progress, LineFormat) {
  EXPECT_EQ(format_progress_line("train", 1200, 5000, 153.2, 7.8, "loss 1.2e-3"),
            "train: 1200/5000 (24.0%) 153.2 it/s, elapsed 7.8 s, ETA 24.8 s | loss 1.2e-3");
  EXPECT_EQ(format_progress_line("read", 10, 0, std::nan(""), 1.0, ""),
            "read: 10 -- it/s, elapsed 1.0 s");
  EXPECT_EQ(format_progress_line("eval", 0, 10, std::nan(""), 0.5, ""),
            "eval: 0/10 (0.0%) -- it/s, elapsed 500 ms, ETA --");
}

TEST(Progress, RateFollowsRecentSpeed) {
  RateWindow w(10.0);
  EXPECT_TRUE(std::isnan(w.rate()));
  // 100 it/s for 60 s, then 10 it/s: after a window the rate must be the new speed.
  std::int64_t done = 0;
  double t = 0;
  for (; t < 60; t += 0.1)
    w.add(t, done += 10);
  EXPECT_NEAR(w.rate(), 100.0, 1.0);
  for (const double end = t + 20; t < end; t += 0.1)
    w.add(t, done += 1);
  EXPECT_NEAR(w.rate(), 10.0, 0.5);
}

// A Progress on a hand-moved clock that records its lines.
struct Harness {
  double now = 100.0;
  std::vector<std::string> lines;
  Progress make(std::int64_t total, bool enabled = true, double interval = 2.0) {
    return Progress(
        "train", total, enabled, interval, [this] { return now; },
        [this](const std::string& line) { lines.push_back(line); });
  }
};

TEST(Progress, ThrottlesToMinInterval) {
  Harness h;
  Progress p = h.make(100);
  for (int i = 1; i <= 20; ++i) {  // 0.5 s per item for 10 s
    h.now += 0.5;
    p.update(i, "loss 1");
  }
  ASSERT_EQ(h.lines.size(), 5u);  // at 2, 4, 6, 8, 10 s
  EXPECT_EQ(h.lines[0], "train: 4/100 (4.0%) 2.0 it/s, elapsed 2.0 s, ETA 48.0 s | loss 1");
  p.finish();
  p.finish();  // only once
  ASSERT_EQ(h.lines.size(), 6u);
  EXPECT_EQ(h.lines.back(), "train: 20/100 done in 10.0 s, mean 2.0 it/s | loss 1");
  p.update(30);  // after finish: silent
  EXPECT_EQ(h.lines.size(), 6u);
}

TEST(Progress, DisabledPrintsNothing) {
  Harness h;
  Progress p = h.make(10, /*enabled=*/false);
  for (int i = 1; i <= 10; ++i) {
    h.now += 5;
    p.update(i);
  }
  p.finish();
  EXPECT_TRUE(h.lines.empty());
}

TEST(Progress, ResumedItemsDoNotInflateTheRate) {
  Harness h;
  Progress p = h.make(2000);
  p.resume_from(1000);
  h.now += 4;
  p.update(1040);
  ASSERT_EQ(h.lines.size(), 1u);
  EXPECT_EQ(h.lines[0], "train: 1040/2000 (52.0%) 10.0 it/s, elapsed 4.0 s, ETA 1 min 36 s");
  p.finish();
  EXPECT_EQ(h.lines.back(), "train: 1040/2000 done in 4.0 s, mean 10.0 it/s");
}

}  // namespace
}  // namespace pf
