#include "core/error.hpp"
#include "forecast/forecast_outputs.hpp"
#include "forecast/forecast_task.hpp"
#include "parallel/comm.hpp"
#include "tensor/ops.hpp"
#include "train/run_outputs.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>

namespace pf {

int evaluate_forecaster(const ForecastRequest& request) {
  const Comm comm = Comm::world();
  const TrainedForecaster trained = load_trained_forecaster(request.checkpoint);
  const ForecastData data = open_forecast_data(trained.deck, request.data, &trained.scaler);
  const data::SeriesWindows& w = *data.windows;
  data::Part part;
  if (request.split == "test")
    part = data::Part::Test;
  else if (request.split == "valid")
    part = data::Part::Valid;
  else if (request.split == "train")
    part = data::Part::Train;
  else
    throw InputError("--split: expected train, valid or test for a forecaster, found '" +
                     request.split + "'");
  const Index n = w.count(part), c = w.channels(), off = w.output_offset(), scored = c - off;
  const Index horizon = w.protocol().pred_len;
  if (n == 0)
    throw InputError(data.series.path + ": the " + request.split +
                     " split holds no window of seq_len + pred_len rows");

  // Per scored channel: Σ squared and Σ absolute errors, standardised and original units.
  std::vector<double> sums(size_t(4 * scored), 0.0);
  const Index batch = trained.deck.get_int("eval.batch_size");
  {
    NoGradGuard no_grad;
    Index batch_no = 0;
    for (Index first = 0; first < n; first += batch, ++batch_no) {
      if (batch_no % comm.size() != comm.rank()) continue;
      std::vector<std::int64_t> idx;
      for (Index i = first; i < std::min(n, first + batch); ++i)
        idx.push_back(i);
      const data::WindowBatch b = w.batch(part, idx);
      const std::vector<float> pred = trained.model->forward(b.x).to_host();
      const std::vector<float> truth = b.y.to_host();
      for (size_t e = 0; e < pred.size(); ++e) {
        const Index ch = Index(e) % c;
        if (ch < off) continue;
        const size_t k = size_t(ch - off);
        const double d = double(pred[e]) - double(truth[e]);
        const double d_orig = d * w.scaler().std[size_t(ch)];
        sums[4 * k] += d * d;
        sums[4 * k + 1] += std::abs(d);
        sums[4 * k + 2] += d_orig * d_orig;
        sums[4 * k + 3] += std::abs(d_orig);
      }
    }
  }
  for (double& s : sums)
    s = comm.allreduce_sum(s);
  if (!comm.is_root()) return 0;

  const double per_channel = double(n) * double(horizon);
  nlohmann::json m, channels = nlohmann::json::object();
  std::string csv =
      deck_comment_lines(trained.deck_toml) + "channel,mse,mae,mse_original,mae_original\n";
  double total[4] = {0, 0, 0, 0};
  for (Index k = 0; k < scored; ++k) {
    double v[4];
    for (int j = 0; j < 4; ++j) {
      v[j] = sums[size_t(4 * k + j)] / per_channel;
      total[j] += v[j] / double(scored);
    }
    const std::string& name = w.columns()[size_t(off + k)];
    channels[name] = {{"mse", v[0]}, {"mae", v[1]}, {"mse_original", v[2]}, {"mae_original", v[3]}};
    csv += fmt::format("{},{:.9g},{:.9g},{:.9g},{:.9g}\n", name, v[0], v[1], v[2], v[3]);
  }
  csv += fmt::format("all,{:.9g},{:.9g},{:.9g},{:.9g}\n", total[0], total[1], total[2], total[3]);
  m["job"] = "evaluate";
  m["task"] = kForecastTaskName;
  m["model"] = trained.model->name();
  m["checkpoint"] = trained.checkpoint;
  m["data"] = data.series.path;
  m["split"] = request.split;
  m["windows"] = n;
  m["seq_len"] = w.protocol().seq_len;
  m["pred_len"] = horizon;
  m["features"] = data::to_string(w.protocol().features);
  m["mse"] = total[0];
  m["mae"] = total[1];
  m["mse_original"] = total[2];
  m["mae_original"] = total[3];
  m["channels"] = channels;
  // What a drop_last=True test loader (PatchTST, Pathformer) would have left out.
  m["windows_dropped_by_drop_last"] = {{"batch_32", data::dropped_by_drop_last(n, 32)},
                                       {"batch_128", data::dropped_by_drop_last(n, 128)}};
  m["config"] = trained.deck_toml;
  const std::filesystem::path dir(request.output_dir);
  std::filesystem::create_directories(dir);
  write_text_atomically((dir / "metrics.json").string(), m.dump(2) + "\n");
  write_text_atomically((dir / "metrics.csv").string(), csv);
  spdlog::info(
      "{} on {} {} windows: MSE {:.4f} MAE {:.4f} (standardised); original units MSE "
      "{:.4g} MAE {:.4g}",
      trained.model->name(), n, request.split, total[0], total[1], total[2], total[3]);
  return 0;
}

}  // namespace pf
