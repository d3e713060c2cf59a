#include "forecast/train_forecast.hpp"

#include "core/error.hpp"
#include "core/rng.hpp"
#include "forecast/forecast_task.hpp"
#include "io/hdf5.hpp"
#include "models/timeseries/registry.hpp"
#include "parallel/comm.hpp"
#include "tensor/ops.hpp"
#include "train/checkpoint.hpp"
#include "train/optim_deck.hpp"
#include "train/run_outputs.hpp"
#include "train/train_loop.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>

namespace pf {

namespace {

void write_forecast_extras(h5::File& file, const ForecastData& data) {
  data.windows->scaler().save(file, "/forecast/scaler");
  const auto& p = data.windows->protocol();
  file.set_string_attr("/forecast", "data_path", data.series.path);
  file.set_string_attr("/forecast", "features", data::to_string(p.features));
  file.set_string_attr("/forecast", "target", p.target);
  file.set_int_array_attr("/forecast", "split_rows",
                          {p.split.train_end, p.split.valid_end, p.split.test_end});
}

// lradj as TSLib's adjust_learning_rate, which runs after each epoch: type1 gives epoch e
// (from 0) lr·0.5^max(0, e−1), type3 lr·0.9^max(0, e−3). TST steps torch's OneCycleLR (default
// div factors, Adam's β₁ cycled) every batch over all epochs' steps, as the references' TST mode.
ScheduleConfig forecast_schedule(const Deck& deck, std::int64_t steps_per_epoch,
                                 std::int64_t steps) {
  ScheduleConfig sc;
  sc.lr = deck.get_float("optim.learning_rate");
  sc.total_steps = steps;
  const std::string lradj = deck.get_string("schedule.lradj");
  if (lradj == "constant") return sc;
  if (lradj == "TST") {
    sc.kind = "onecycle";
    sc.pct_start = deck.get_float("schedule.pct_start");
    return sc;
  }
  sc.kind = "step";
  sc.step_size = steps_per_epoch;
  sc.gamma = lradj == "type1" ? 0.5 : 0.9;
  sc.step_start = (lradj == "type1" ? 1 : 3) * steps_per_epoch;
  return sc;
}

}  // namespace

int train_forecaster(const Deck& deck, const RunOptions& options) {
  validate_forecast_deck(deck);
  const Comm comm = Comm::world();
  const auto start_time = std::chrono::steady_clock::now();
  std::filesystem::create_directories(options.output_dir);

  const ForecastData data = open_forecast_data(deck);
  const data::SeriesWindows& w = *data.windows;
  const auto& p = w.protocol();
  const Index n_train = w.count(data::Part::Train), n_valid = w.count(data::Part::Valid);
  if (n_train == 0)
    throw InputError(fmt::format(
        "{}: expected training rows for at least one window of seq_len + pred_len = {} rows, "
        "found {} training rows (of {})",
        data.series.path, p.seq_len + p.pred_len, p.split.train_end, data.series.rows));
  const Index batch = deck.get_int("train.batch_size");
  if (n_train < batch)
    throw InputError(
        fmt::format("deck {}: option 'train.batch_size': expected at most the {} "
                    "training windows (each epoch skips its incomplete last batch), "
                    "found {}",
                    deck.source(), n_train, batch));

  Rng init_rng(std::uint64_t(deck.get_int("model.seed")));
  const ts::ForecastShape shape{p.seq_len, p.pred_len, w.channels()};
  auto model = ts::make_forecaster(deck, shape, init_rng);
  spdlog::info(
      "data: {} ({} rows, channels {}; features {}, target {}); split rows {}/{}/{}; "
      "windows train {}, valid {}, test {}",
      data.series.path, data.series.rows, fmt::join(w.columns(), ", "), data::to_string(p.features),
      p.target, p.split.train_end, p.split.valid_end - p.split.train_end,
      p.split.test_end - p.split.valid_end, n_train, n_valid, w.count(data::Part::Test));
  spdlog::info("model: {} with {} trainable parameters", model->name(), model->parameter_count());

  Adam<float> optimizer(model->named_parameters(), adam_config_from_deck(deck));
  BatchSampler sampler(n_train, batch, comm.rank(), comm.size(),
                       std::uint64_t(deck.get_int("train.seed")));
  const std::int64_t per_epoch = sampler.batches_per_epoch();
  const std::int64_t steps = per_epoch * deck.get_int("train.train_epochs");
  const std::string loss_name = deck.get_string("train.loss");
  const Index eval_batch = deck.get_int("eval.batch_size");
  TrainLoopConfig tc;
  tc.steps = steps;
  tc.clip_grad_norm = deck.get_float("train.clip_grad_norm");
  tc.checkpoint_every = deck.get_int("train.checkpoint_every") > 0
                            ? deck.get_int("train.checkpoint_every")
                            : per_epoch;
  tc.keep_checkpoints = deck.get_int("train.keep_checkpoints");
  tc.kill_at_step = deck.get_int("train.kill_at_step");
  tc.output_dir = options.output_dir;
  tc.config_toml = deck.to_toml();
  tc.annotate_checkpoint = [&](h5::File& file) { write_forecast_extras(file, data); };
  std::unique_ptr<TrainLoop> loop;
  if (n_valid > 0) {
    tc.validate_every = per_epoch;
    tc.validate = [&] {
      return forecast_loss(*model, w, data::Part::Valid, loss_name, eval_batch);
    };
    tc.patience = deck.get_int("train.patience");
    const std::string best =
        (std::filesystem::path(options.output_dir) / "checkpoint_best.h5").string();
    tc.on_best = [&loop, best, &comm] {
      if (comm.is_root()) loop->save(best);
    };
  } else {
    spdlog::warn(
        "no validation window (the validation rows are fewer than pred_len): no "
        "validation, no early stopping");
  }
  loop = std::make_unique<TrainLoop>(
      *model, optimizer, LrSchedule(forecast_schedule(deck, per_epoch, steps)), sampler, comm, tc);
  if (options.resume) loop->resume();

  const Index c = w.channels(), off = w.output_offset();
  loop->run([&](std::int64_t, const std::vector<std::int64_t>& idx) {
    const data::WindowBatch b = w.batch(data::Part::Train, idx);
    const Tensor<float> pred = slice(model->forward(b.x), 2, off, c);
    const Tensor<float> truth = slice(b.y, 2, off, c);
    Tensor<float> loss = loss_name == "mae" ? l1_loss(pred, truth) : mse_loss(pred, truth);
    const Tensor<float> aux = model->auxiliary_loss();
    return aux.defined() ? add(loss, aux) : loss;
  });

  if (comm.is_root()) {
    const auto& h = loop->history();
    const auto& v = loop->validation_history();
    nlohmann::json m;
    m["job"] = "train";
    m["task"] = kForecastTaskName;
    m["model"] = model->name();
    m["steps"] = loop->step();
    m["epochs_run"] = double(loop->step()) / double(per_epoch);
    m["stopped_early"] = loop->stopped_early();
    m["ranks"] = comm.size();
    m["parameters"] = model->parameter_count();
    m["data"] = data.series.path;
    m["columns"] = w.columns();
    m["features"] = data::to_string(p.features);
    m["target"] = p.target;
    m["split_rows"] = {p.split.train_end, p.split.valid_end, p.split.test_end};
    m["windows"] = {{"train", n_train}, {"valid", n_valid}, {"test", w.count(data::Part::Test)}};
    m["scaler"] = {{"mean", w.scaler().mean}, {"std", w.scaler().std}};
    if (!v.empty()) {
      double best = v.front().loss;
      for (const auto& r : v)
        best = std::min(best, r.loss);
      m["valid_loss_best"] = best;
      m["valid_loss_last"] = v.back().loss;
    }
    write_training_summary(m, options.output_dir, deck.to_toml(), h, v, start_time);
    spdlog::info("done: {} steps, last batch loss {:.4e}{}", loop->step(),
                 m["last_batch_loss"].get<double>(),
                 v.empty() ? std::string()
                           : fmt::format(", validation {} best {:.4e}", loss_name,
                                         m["valid_loss_best"].get<double>()));
  }
  comm.barrier();
  return 0;
}

}  // namespace pf
