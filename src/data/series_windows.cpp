#include "data/series_windows.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <cmath>

namespace pf::data {

FeatureMode parse_feature_mode(const std::string& text) {
  if (text == "M") return FeatureMode::M;
  if (text == "S") return FeatureMode::S;
  if (text == "MS") return FeatureMode::MS;
  throw InputError("features: expected M, S or MS, found '" + text + "'");
}

const char* to_string(FeatureMode mode) {
  return mode == FeatureMode::M ? "M" : mode == FeatureMode::S ? "S" : "MS";
}

const char* to_string(Part part) {
  return part == Part::Train ? "train" : part == Part::Valid ? "valid" : "test";
}

SplitRows split_by_fractions(Index rows, double train_fraction, double test_fraction) {
  if (!(train_fraction > 0 && test_fraction >= 0 && train_fraction + test_fraction <= 1))
    throw InputError(fmt::format(
        "split fractions: expected train > 0, test ≥ 0 and train + test ≤ 1, found {} and {}",
        train_fraction, test_fraction));
  // Python's int() of a positive float truncates, as the reference computes them.
  const Index train = Index(double(rows) * train_fraction);
  const Index test = Index(double(rows) * test_fraction);
  return {train, rows - test, rows};
}

SplitRows split_ett(Index rows, double rows_per_hour) {
  if (!(rows_per_hour > 0) || std::abs(rows_per_hour - std::round(rows_per_hour)) > 1e-9)
    throw InputError(
        fmt::format("ett split: expected a whole number of rows per hour (hourly or finer sampling "
                    "dividing an hour), found {}",
                    rows_per_hour));
  const Index month = 30 * 24 * Index(std::round(rows_per_hour));
  const SplitRows s{12 * month, 16 * month, 20 * month};
  if (rows < s.test_end)
    throw InputError(fmt::format(
        "ett split: expected at least 20 months of 30 days = {} rows ({} a month), found {}",
        s.test_end, month, rows));
  return s;
}

SplitRows split_explicit(Index rows, const std::vector<std::int64_t>& b) {
  if (b.size() != 3 || b[0] < 1 || b[0] > b[1] || b[1] > b[2] || b[2] > rows)
    throw InputError(fmt::format(
        "split borders: expected [train_end, valid_end, test_end] with 0 < train_end ≤ valid_end "
        "≤ test_end ≤ {} (the rows of the series), found [{}]",
        rows, fmt::join(b, ", ")));
  return {b[0], b[1], b[2]};
}

Normalization fit_standardization(const Series& s, const std::vector<Index>& columns,
                                  Index rows_end) {
  Normalization z;
  for (Index col : columns) {
    // Two passes in fp64: exact enough for any row count we meet, and the variance ≥ 0.
    double mean = 0;
    for (Index r = 0; r < rows_end; ++r)
      mean += s.at(r, col);
    mean /= double(rows_end);
    double var = 0;
    for (Index r = 0; r < rows_end; ++r)
      var += (s.at(r, col) - mean) * (s.at(r, col) - mean);
    var /= double(rows_end);
    z.channels.push_back(s.channels[size_t(col)]);
    z.mean.push_back(mean);
    z.std.push_back(var > 0 ? std::sqrt(var) : 1.0);
  }
  return z;
}

SeriesWindows::SeriesWindows(const Series& series, WindowProtocol p, const Normalization* fixed)
    : protocol_(std::move(p)) {
  if (protocol_.seq_len < 1 || protocol_.pred_len < 1)
    throw InputError(fmt::format("windows: expected seq_len ≥ 1 and pred_len ≥ 1, found {} and {}",
                                 protocol_.seq_len, protocol_.pred_len));
  const Index target = protocol_.target.empty() ? series.channel_count() - 1
                                                : series.channel_index(protocol_.target);
  if (protocol_.target.empty()) protocol_.target = series.channels[size_t(target)];
  std::vector<Index> cols;
  if (protocol_.features != FeatureMode::S)
    for (Index c = 0; c < series.channel_count(); ++c)
      if (c != target) cols.push_back(c);
  cols.push_back(target);
  for (Index c : cols)
    column_names_.push_back(series.channels[size_t(c)]);

  rows_ = series.rows;
  const SplitRows& sp = protocol_.split;
  if (!(sp.train_end >= 1 && sp.train_end <= sp.valid_end && sp.valid_end <= sp.test_end &&
        sp.test_end <= rows_))
    throw InputError(
        fmt::format("split: rows [0, {}) train, [{}, {}) valid, [{}, {}) test do "
                    "not fit a series of {} rows",
                    sp.train_end, sp.train_end, sp.valid_end, sp.valid_end, sp.test_end, rows_));
  const Index c = Index(cols.size());
  if (fixed) {
    if (fixed->channels != column_names_)
      throw InputError(fmt::format(
          "{}: expected the channels the model was trained on ({}), "
          "found {}",
          series.path, fmt::join(fixed->channels, ", "), fmt::join(column_names_, ", ")));
    scaler_ = *fixed;
  } else if (protocol_.scale) {
    scaler_ = fit_standardization(series, cols, sp.train_end);
  } else {
    scaler_ = Normalization{column_names_, std::vector<double>(size_t(c), 0.0),
                            std::vector<double>(size_t(c), 1.0)};
  }
  scaled_.resize(size_t(rows_ * c));
  for (Index r = 0; r < rows_; ++r)
    for (Index j = 0; j < c; ++j)
      scaled_[size_t(r * c + j)] =
          float((series.at(r, cols[size_t(j)]) - scaler_.mean[size_t(j)]) / scaler_.std[size_t(j)]);
}

Index SeriesWindows::first_input_row(Part part) const {
  const SplitRows& sp = protocol_.split;
  // Validation and test inputs start seq_len rows before their border (the reference's
  // border1s), so their first target row is the border itself.
  if (part == Part::Train) return 0;
  return (part == Part::Valid ? sp.train_end : sp.valid_end) - protocol_.seq_len;
}

Index SeriesWindows::count(Part part) const {
  const SplitRows& sp = protocol_.split;
  const Index end = part == Part::Train   ? sp.train_end
                    : part == Part::Valid ? sp.valid_end
                                          : sp.test_end;
  const Index begin = first_input_row(part);
  if (begin < 0) return 0;  // the split starts before seq_len rows of history exist
  const Index n = end - begin - protocol_.seq_len - protocol_.pred_len + 1;
  return n > 0 ? n : 0;
}

WindowBatch SeriesWindows::batch(Part part, const std::vector<std::int64_t>& windows) const {
  const Index n = count(part), c = channels(), L = protocol_.seq_len, T = protocol_.pred_len;
  const Index b = Index(windows.size()), first = first_input_row(part);
  std::vector<float> x(size_t(b * L * c)), y(size_t(b * T * c));
  for (Index i = 0; i < b; ++i) {
    const Index w = windows[size_t(i)];
    if (w < 0 || w >= n)
      throw std::out_of_range(
          fmt::format("SeriesWindows::batch: window {} of {} in {}", w, n, to_string(part)));
    const float* src = scaled_.data() + (first + w) * c;
    std::copy(src, src + L * c, x.begin() + i * L * c);
    std::copy(src + L * c, src + (L + T) * c, y.begin() + i * T * c);
  }
  return {Tensor<float>::from_host({b, L, c}, x), Tensor<float>::from_host({b, T, c}, y)};
}

Tensor<float> SeriesWindows::last_input() const {
  const Index c = channels(), L = protocol_.seq_len;
  if (rows_ < L)
    throw InputError(
        fmt::format("forecast: expected at least seq_len = {} rows, found {}", L, rows_));
  return Tensor<float>::from_host({1, L, c},
                                  std::vector<float>(scaled_.end() - L * c, scaled_.end()));
}

}  // namespace pf::data
