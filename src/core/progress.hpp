// Progress lines for long loops in batch jobs, where no terminal redraws a bar:
//   train: 1200/5000 (24.0%) 153.2 it/s, elapsed 7.8 s, ETA 24.8 s | loss 1.2e-3
// Lines are throttled, and the rate is taken over a recent window so the ETA follows changes in
// speed (warm-up, checkpoint stalls) instead of averaging them away.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>

namespace pf {

// "250 ms", "7.8 s", "3 min 12 s", "2 h 05 min", "3 d 04 h"; "--" for negative or non-finite.
std::string format_duration(double seconds);

// "153.2 it/s"; below one per second "2.50 s/it", which reads better for slow steps; "-- it/s"
// when unknown (NaN).
std::string format_rate(double per_second);

// Seconds left at `per_second`; NaN when it cannot be told (no rate yet, unknown total).
double eta_seconds(std::int64_t done, std::int64_t total, double per_second);

// One progress line; total <= 0 means unknown. `extra` follows a " | " when not empty.
std::string format_progress_line(const std::string& what, std::int64_t done, std::int64_t total,
                                 double per_second, double elapsed_s, const std::string& extra);

// Items per second over roughly the last `window_s` seconds of samples.
class RateWindow {
 public:
  explicit RateWindow(double window_s = 30.0);
  void add(double t_s, std::int64_t done);
  // NaN until two samples span a positive time.
  double rate() const;

 private:
  struct Sample {
    double t;
    std::int64_t done;
  };
  double window_s_;
  std::deque<Sample> samples_;  // thinned to about 32 per window so memory stays bounded
  Sample latest_{0.0, 0};
  bool has_latest_ = false;
};

class Progress {
 public:
  using Clock = std::function<double()>;                 // monotonic seconds
  using Sink = std::function<void(const std::string&)>;  // receives finished lines

  // Lines go to spdlog::info. `enabled` is false on all ranks but 0.
  Progress(std::string what, std::int64_t total, bool enabled, double min_interval_s = 2.0);
  // For tests, and for callers that want lines elsewhere.
  Progress(std::string what, std::int64_t total, bool enabled, double min_interval_s, Clock clock,
           Sink sink);

  // When resuming: `done` items were finished by an earlier run; they count towards the
  // percentage and ETA but not towards this run's rate.
  void resume_from(std::int64_t done);

  // Cheap unless a line is due: call it every iteration.
  void update(std::int64_t done, const std::string& extra = "");
  // Prints the summary line (total time, mean rate) once; later calls do nothing.
  void finish();

 private:
  void emit(const std::string& line);

  std::string what_;
  std::int64_t total_;
  bool enabled_;
  double min_interval_s_;
  Clock clock_;
  Sink sink_;
  double start_s_;
  double last_print_s_;
  std::int64_t start_done_ = 0;
  std::int64_t done_ = 0;
  std::string extra_;
  RateWindow window_;
  bool finished_ = false;
};

}  // namespace pf
