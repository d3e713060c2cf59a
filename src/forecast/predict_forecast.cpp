#include "core/error.hpp"
#include "data/timestamps.hpp"
#include "forecast/forecast_outputs.hpp"
#include "forecast/forecast_task.hpp"
#include "io/hdf5.hpp"
#include "io/hdf5_atomic.hpp"
#include "parallel/comm.hpp"
#include "tensor/ops.hpp"
#include "train/run_outputs.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>

namespace pf {

namespace {

// Times of rows beyond the data continue at the sampling interval (the mean step when the time
// axis is irregular); a series without time counts rows.
double time_of_row(const data::Series& s, Index row) {
  if (s.time.empty()) return double(row);
  if (row < s.rows) return s.time[size_t(row)];
  double step = s.sampling_interval;
  if (!(step > 0)) step = s.rows > 1 ? (s.time.back() - s.time.front()) / double(s.rows - 1) : 1.0;
  return s.time.back() + double(row - s.rows + 1) * step;
}

std::string format_time(const data::Series& s, double t, bool date_only) {
  if (s.time_unit == data::kEpochSecondsUnit) return data::format_timestamp(t, date_only);
  return fmt::format("{:.10g}", t);
}

}  // namespace

int predict_forecaster(const ForecastRequest& request) {
  const Comm comm = Comm::world();
  if (!comm.is_root()) return 0;  // one forecast: nothing to share out
  const TrainedForecaster trained = load_trained_forecaster(request.checkpoint);
  const ForecastData data = open_forecast_data(trained.deck, request.data, &trained.scaler);
  const data::SeriesWindows& w = *data.windows;
  const data::Series& s = data.series;
  const Index L = w.protocol().seq_len, T = w.protocol().pred_len;
  const Index c = w.channels(), off = w.output_offset(), out_c = c - off;
  const Index start = request.start < 0 ? s.rows - L : request.start;
  if (start < 0 || start + L > s.rows)
    throw InputError(
        fmt::format("{}: --start {}: expected a first input row in [0, {}] so that "
                    "seq_len = {} input rows exist, found {} rows",
                    s.path, request.start, s.rows - L, L, s.rows));
  const Index truth_rows = std::min(T, s.rows - start - L);

  // The model's columns in original units, then the input window standardised.
  std::vector<Index> cols;
  for (const auto& name : w.columns())
    cols.push_back(s.channel_index(name));
  std::vector<float> input(size_t(L * c));
  for (Index r = 0; r < L; ++r)
    for (Index j = 0; j < c; ++j)
      input[size_t(r * c + j)] =
          float((s.at(start + r, cols[size_t(j)]) - w.scaler().mean[size_t(j)]) /
                w.scaler().std[size_t(j)]);
  std::vector<float> pred;
  {
    NoGradGuard no_grad;
    pred = trained.model->forward(Tensor<float>::from_host({1, L, c}, input)).to_host();
  }
  std::vector<float> forecast(size_t(T * out_c)), history(size_t(L * out_c)),
      truth(size_t(truth_rows * out_c));
  std::vector<double> time(static_cast<size_t>(T)), input_time(static_cast<size_t>(L));
  std::vector<std::string> names(w.columns().begin() + off, w.columns().end());
  for (Index r = 0; r < T; ++r) {
    time[size_t(r)] = time_of_row(s, start + L + r);
    for (Index k = 0; k < out_c; ++k) {
      const size_t j = size_t(off + k);
      forecast[size_t(r * out_c + k)] =
          float(pred[size_t(r * c) + j] * w.scaler().std[j] + w.scaler().mean[j]);
      if (r < truth_rows) truth[size_t(r * out_c + k)] = s.at(start + L + r, cols[j]);
    }
  }
  for (Index r = 0; r < L; ++r) {
    input_time[size_t(r)] = time_of_row(s, start + r);
    for (Index k = 0; k < out_c; ++k)
      history[size_t(r * out_c + k)] = s.at(start + r, cols[size_t(off + k)]);
  }

  const std::filesystem::path dir(request.output_dir);
  std::filesystem::create_directories(dir);
  h5::write_file_atomically((dir / "predictions.h5").string(), [&](h5::File& f) {
    f.set_string_attr("/", "format", data::kSeriesFormat);
    f.set_int_attr("/", "format_version", data::kSeriesFormatVersion);
    f.set_string_array_attr("/", "channels", names);
    f.set_double_attr("/", "sampling_interval", s.sampling_interval);
    f.set_string_attr(
        "/", "source",
        fmt::format("forecast by {} ({}) from rows [{}, {}) of {}", trained.model->name(),
                    trained.checkpoint, start, start + L, s.path));
    f.set_string_attr("/", "import_settings", "");
    f.set_string_attr("/", "config", trained.deck_toml);
    if (!request.producer.empty()) f.set_string_attr("/", "producer", request.producer);
    f.set_int_attr("/", "input_start", start);
    f.write("/data", forecast, {T, out_c});
    f.write("/time", time, {T});
    f.set_string_attr("/time", "unit", s.time_unit.empty() ? "step" : s.time_unit);
    f.write("/input", history, {L, out_c});
    f.write("/input_time", input_time, {L});
    if (truth_rows > 0) f.write("/truth", truth, {truth_rows, out_c});
  });
  bool date_only = s.time_unit == data::kEpochSecondsUnit;
  for (double t : time)
    date_only = date_only && std::fmod(t, 86400.0) == 0;
  std::string csv = deck_comment_lines(trained.deck_toml) + "time";
  for (const auto& n : names)
    csv += "," + n;
  for (Index k = 0; k < out_c && truth_rows > 0; ++k)
    csv += "," + names[size_t(k)] + "_true";
  csv += "\n";
  for (Index r = 0; r < T; ++r) {
    csv += format_time(s, time[size_t(r)], date_only);
    for (Index k = 0; k < out_c; ++k)
      csv += fmt::format(",{:.8g}", forecast[size_t(r * out_c + k)]);
    for (Index k = 0; k < out_c && truth_rows > 0; ++k)
      csv += r < truth_rows ? fmt::format(",{:.8g}", truth[size_t(r * out_c + k)]) : ",";
    csv += "\n";
  }
  write_text_atomically((dir / "forecast.csv").string(), csv);
  nlohmann::json m;
  m["job"] = "predict";
  m["task"] = kForecastTaskName;
  m["model"] = trained.model->name();
  m["checkpoint"] = trained.checkpoint;
  m["data"] = s.path;
  m["input_rows"] = {start, start + L};
  m["forecast_rows"] = {start + L, start + L + T};
  m["rows_with_truth"] = truth_rows;
  m["channels"] = names;
  m["first_time"] = format_time(s, time.front(), date_only);
  m["last_time"] = format_time(s, time.back(), date_only);
  m["config"] = trained.deck_toml;
  write_text_atomically((dir / "predict.json").string(), m.dump(2) + "\n");
  spdlog::info("{}: forecast of {} rows ({} .. {}) from input rows [{}, {}) written to {}",
               trained.model->name(), T, m["first_time"].get<std::string>(),
               m["last_time"].get<std::string>(), start, start + L, dir.string());
  return 0;
}

}  // namespace pf
