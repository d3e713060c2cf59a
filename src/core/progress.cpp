#include "core/progress.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <utility>

namespace pf {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--";
  // Rounded before choosing the unit, so 59.97 s becomes "1 min 00 s", not "60.0 s".
  if (std::round(seconds * 1e3) < 1000) return fmt::format("{:.0f} ms", seconds * 1e3);
  if (std::round(seconds * 10) < 600) return fmt::format("{:.1f} s", seconds);
  const auto s = static_cast<std::int64_t>(std::llround(seconds));
  if (s < 3600) return fmt::format("{} min {:02d} s", s / 60, s % 60);
  const auto min = static_cast<std::int64_t>(std::llround(seconds / 60));
  if (min < 24 * 60) return fmt::format("{} h {:02d} min", min / 60, min % 60);
  const auto h = static_cast<std::int64_t>(std::llround(seconds / 3600));
  return fmt::format("{} d {:02d} h", h / 24, h % 24);
}

std::string format_rate(double per_second) {
  if (!std::isfinite(per_second) || per_second < 0) return "-- it/s";
  if (per_second > 0 && per_second < 1) return fmt::format("{:.2f} s/it", 1.0 / per_second);
  return fmt::format("{:.1f} it/s", per_second);
}

double eta_seconds(std::int64_t done, std::int64_t total, double per_second) {
  if (total <= 0 || !std::isfinite(per_second) || per_second <= 0) return kNaN;
  if (done >= total) return 0.0;
  return static_cast<double>(total - done) / per_second;
}

std::string format_progress_line(const std::string& what, std::int64_t done, std::int64_t total,
                                 double per_second, double elapsed_s, const std::string& extra) {
  std::string line;
  if (total > 0) {
    const double percent = 100.0 * static_cast<double>(done) / static_cast<double>(total);
    line = fmt::format("{}: {}/{} ({:.1f}%) {}, elapsed {}, ETA {}", what, done, total, percent,
                       format_rate(per_second), format_duration(elapsed_s),
                       format_duration(eta_seconds(done, total, per_second)));
  } else {
    line = fmt::format("{}: {} {}, elapsed {}", what, done, format_rate(per_second),
                       format_duration(elapsed_s));
  }
  if (!extra.empty()) line += " | " + extra;
  return line;
}

RateWindow::RateWindow(double window_s) : window_s_(window_s) {}

void RateWindow::add(double t_s, std::int64_t done) {
  latest_ = {t_s, done};
  has_latest_ = true;
  if (samples_.empty() || t_s - samples_.back().t >= window_s_ / 32) samples_.push_back(latest_);
  // Keep one sample at or beyond the window's start, so the rate spans a full window.
  while (samples_.size() > 1 && t_s - samples_[1].t >= window_s_)
    samples_.pop_front();
}

double RateWindow::rate() const {
  if (!has_latest_ || samples_.empty()) return kNaN;
  const Sample& oldest = samples_.front();
  const double dt = latest_.t - oldest.t;
  if (dt <= 0) return kNaN;
  return static_cast<double>(latest_.done - oldest.done) / dt;
}

Progress::Progress(std::string what, std::int64_t total, bool enabled, double min_interval_s)
    : Progress(std::move(what), total, enabled, min_interval_s, steady_seconds,
               [](const std::string& line) { spdlog::info("{}", line); }) {}

Progress::Progress(std::string what, std::int64_t total, bool enabled, double min_interval_s,
                   Clock clock, Sink sink)
    : what_(std::move(what)),
      total_(total),
      enabled_(enabled),
      min_interval_s_(min_interval_s),
      clock_(std::move(clock)),
      sink_(std::move(sink)),
      start_s_(enabled_ ? clock_() : 0.0),
      last_print_s_(start_s_) {
  if (enabled_) window_.add(start_s_, 0);
}

void Progress::resume_from(std::int64_t done) {
  if (!enabled_) return;
  start_done_ = done;
  done_ = done;
  window_ = RateWindow();
  window_.add(clock_(), done);
}

void Progress::update(std::int64_t done, const std::string& extra) {
  if (!enabled_ || finished_) return;
  const double now = clock_();
  done_ = done;
  extra_ = extra;
  window_.add(now, done);
  if (now - last_print_s_ < min_interval_s_) return;
  last_print_s_ = now;
  emit(format_progress_line(what_, done, total_, window_.rate(), now - start_s_, extra));
}

void Progress::finish() {
  if (!enabled_ || finished_) return;
  finished_ = true;
  const double elapsed = clock_() - start_s_;
  const double mean_rate = elapsed > 0 ? static_cast<double>(done_ - start_done_) / elapsed : kNaN;
  std::string line = total_ > 0 ? fmt::format("{}: {}/{} done", what_, done_, total_)
                                : fmt::format("{}: {} done", what_, done_);
  line += fmt::format(" in {}, mean {}", format_duration(elapsed), format_rate(mean_rate));
  if (!extra_.empty()) line += " | " + extra_;
  emit(line);
}

void Progress::emit(const std::string& line) {
  if (sink_) sink_(line);
}

}  // namespace pf
