#include "forecast/forecast_task.hpp"

#include "config/deck_checks.hpp"
#include "core/error.hpp"
#include "core/rng.hpp"
#include "data/timestamps.hpp"
#include "io/hdf5.hpp"
#include "models/timeseries/registry.hpp"
#include "parallel/comm.hpp"
#include "tensor/ops.hpp"
#include "train/checkpoint.hpp"

#include <fmt/format.h>
#include <toml.hpp>

#include <filesystem>
#include <sstream>

namespace pf {

DeckSchema forecast_task_schema() {
  using O = OptionType;
  DeckSchema s("forecast",
               "Train a time-series forecaster (Linear family, ...) on a series file (from "
               "`portaformer import-csv`) or a simulation's scalars with the long-horizon "
               "protocol of LTSF-Linear/TSLib: chronological split, windows sliding by one, "
               "standardisation fitted on the training rows, MSE loss, Adam, lr halved each epoch "
               "(type1), early stopping on the validation loss.");
  s.add({"task",
         O::String,
         "\"forecast\"",
         "what to train",
         {"factformer2d", "mlp_demo", "forecast"}});
  s.add({"data.path", O::String, "\"\"",
         "series file (`portaformer import-csv`) or Well-layout file whose scalars/ are the "
         "channels (required)"});
  s.add(
      {"data.trajectory", O::Int, "0", "Well-layout files: the trajectory whose scalars are read"});
  s.add({"data.features",
         O::String,
         "\"M\"",
         "M: all channels in, all out; S: the target alone; MS: all in, the target out",
         {"M", "S", "MS"}});
  s.add({"data.target", O::String, "\"\"",
         "channel forecast in S and MS (moved last in M/MS as the reference does); empty: the "
         "last channel"});
  s.add({"data.split",
         O::String,
         "\"fractions\"",
         "fractions: train/test fractions, validation the rest (the custom datasets); ett: 12/4/4 "
         "months of 30 days (needs calendar time); borders: data.borders; file: the borders "
         "stored in the series file",
         {"fractions", "ett", "borders", "file"}});
  s.add({"data.train_fraction", O::Float, "0.7", "fractions split: share of rows for training"});
  s.add({"data.test_fraction", O::Float, "0.2", "fractions split: share of rows for testing"});
  s.add({"data.borders", O::IntList, "[]",
         "borders split: [train_end, valid_end, test_end] rows; later rows are unused"});
  s.add({"data.scale", O::Bool, "true",
         "standardise each channel with the mean and std of the training rows"});
  ts::add_forecaster_options(s);
  s.add({"model.seq_len", O::Int, "336", "lookback L: input rows per window"});
  s.add({"model.pred_len", O::Int, "96", "horizon T: rows forecast per window"});
  s.add({"model.label_len", O::Int, "48",
         "TSLib's decoder start token length; the Linear family ignores it (kept so decks carry "
         "over)"});
  s.add({"model.seed", O::Int, "2021", "seed of the weight initialisation"});
  s.add({"optim.name",
         O::String,
         "\"adam\"",
         "optimizer (the references use Adam)",
         {"adam", "adamw"}});
  s.add({"optim.learning_rate", O::Float, "1e-4", "initial learning rate (TSLib --learning_rate)"});
  s.add({"optim.beta1", O::Float, "0.9", "Adam β₁"});
  s.add({"optim.beta2", O::Float, "0.999", "Adam β₂"});
  s.add({"optim.eps", O::Float, "1e-8", "Adam ε"});
  s.add({"optim.weight_decay", O::Float, "0.0", "L2 (adam) or decoupled (adamw) weight decay"});
  s.add({"optim.decay_biases_and_norms", O::Bool, "true", "also decay 1-D parameters"});
  s.add({"schedule.lradj",
         O::String,
         "\"type1\"",
         "type1: lr halved each epoch from the third (LTSF-Linear); type3: constant 3 epochs, "
         "then ×0.9 an epoch (PatchTST); TST: one-cycle stepped every batch with peak "
         "optim.learning_rate (torch's OneCycleLR defaults, as PatchTST and Pathformer use it); "
         "constant",
         {"type1", "type3", "TST", "constant"}});
  s.add({"schedule.pct_start", O::Float, "0.3",
         "TST only: fraction of the steps spent raising the learning rate (TSLib --pct_start)"});
  s.add({"train.train_epochs", O::Int, "10", "epochs (TSLib --train_epochs)"});
  s.add({"train.batch_size", O::Int, "32",
         "global batch; an epoch's last incomplete batch is skipped (drop_last, as the reference "
         "trains)"});
  s.add({"train.patience", O::Int, "3",
         "stop after this many epochs without a lower validation loss (≤ 0: never)"});
  s.add({"train.loss", O::String, "\"mse\"", "training and validation loss", {"mse", "mae"}});
  s.add({"train.seed", O::Int, "2021", "seed of the batch order"});
  s.add({"train.clip_grad_norm", O::Float, "0.0", "clip the global gradient norm (≤ 0: off)"});
  s.add({"train.checkpoint_every", O::Int, "0", "steps between checkpoints; 0: every epoch"});
  s.add({"train.keep_checkpoints", O::Int, "2", "periodic checkpoints kept on disk"});
  s.add({"train.kill_at_step", O::Int, "0",
         "testing aid: the process kills itself (SIGKILL) after this step, to exercise --resume"});
  s.add(
      {"eval.batch_size", O::Int, "256", "windows per forward pass in validation and evaluation"});
  return s;
}

void validate_forecast_deck(const Deck& deck) {
  require_at_least(deck, "model.seq_len", 1);
  require_at_least(deck, "model.pred_len", 1);
  require_at_least(deck, "model.moving_avg", 1);
  require_at_least(deck, "train.train_epochs", 1);
  require_at_least(deck, "train.batch_size", 1);
  require_at_least(deck, "train.checkpoint_every", 0);
  require_at_least(deck, "train.keep_checkpoints", 1);
  require_at_least(deck, "train.kill_at_step", 0);
  require_at_least(deck, "eval.batch_size", 1);
  require_at_least(deck, "data.trajectory", 0);
  const double pct_start = deck.get_float("schedule.pct_start");
  if (!(pct_start > 0 && pct_start < 1))
    bad_option(deck, "schedule.pct_start", "a fraction in (0, 1)", fmt::format("{}", pct_start));
  if (!(deck.get_float("optim.learning_rate") > 0))
    bad_option(deck, "optim.learning_rate", "a positive learning rate",
               fmt::format("{}", deck.get_float("optim.learning_rate")));
}

data::WindowProtocol forecast_protocol(const Deck& deck, const data::Series& series) {
  data::WindowProtocol p;
  p.seq_len = deck.get_int("model.seq_len");
  p.pred_len = deck.get_int("model.pred_len");
  p.features = data::parse_feature_mode(deck.get_string("data.features"));
  p.target = deck.get_string("data.target");
  p.scale = deck.get_bool("data.scale");
  const std::string split = deck.get_string("data.split");
  const std::string where = "deck " + deck.source() + ": option 'data.split' = \"" + split + "\": ";
  try {
    if (split == "fractions") {
      p.split = data::split_by_fractions(series.rows, deck.get_float("data.train_fraction"),
                                         deck.get_float("data.test_fraction"));
    } else if (split == "borders") {
      p.split = data::split_explicit(series.rows, deck.get_int_list("data.borders"));
    } else if (split == "file") {
      if (series.split_borders.empty())
        throw InputError(series.path +
                         ": attribute split_borders: expected the split stored "
                         "with the data, found none");
      p.split = data::split_explicit(series.rows, series.split_borders);
    } else {
      if (series.time_unit != data::kEpochSecondsUnit || !(series.sampling_interval > 0))
        throw InputError(series.path + ": expected calendar time at a fixed interval (time unit '" +
                         data::kEpochSecondsUnit + "'), found unit '" + series.time_unit +
                         "', interval " + fmt::format("{}", series.sampling_interval));
      p.split = data::split_ett(series.rows, 3600.0 / series.sampling_interval);
    }
  } catch (const InputError& e) {
    throw InputError(where + e.what());
  }
  return p;
}

ForecastData open_forecast_data(const Deck& deck, const std::string& path_override,
                                const data::Normalization* fixed) {
  const std::string path = path_override.empty() ? deck.get_string("data.path") : path_override;
  if (path.empty())
    bad_option(deck, "data.path",
               "the series to train on (from `portaformer import-csv`, or a simulation file)",
               "nothing");
  data::Series series = data::read_series(path, deck.get_int("data.trajectory"));
  const data::WindowProtocol protocol = forecast_protocol(deck, series);
  auto windows = std::make_shared<const data::SeriesWindows>(series, protocol, fixed);
  return {std::move(series), std::move(windows)};
}

double forecast_loss(ts::Forecaster& model, const data::SeriesWindows& w, data::Part part,
                     const std::string& loss, Index batch_size) {
  NoGradGuard no_grad;
  const Comm comm = Comm::world();
  const Index n = w.count(part), c = w.channels(), off = w.output_offset();
  double sum = 0;
  Index batch_no = 0;
  for (Index start = 0; start < n; start += batch_size, ++batch_no) {
    if (batch_no % comm.size() != comm.rank()) continue;
    std::vector<std::int64_t> idx;
    for (Index i = start; i < std::min(n, start + batch_size); ++i)
      idx.push_back(i);
    const data::WindowBatch b = w.batch(part, idx);
    const Tensor<float> pred = slice(model.forward(b.x), 2, off, c);
    const Tensor<float> truth = slice(b.y, 2, off, c);
    const Tensor<float> l = loss == "mae" ? l1_loss(pred, truth) : mse_loss(pred, truth);
    sum += l.item() * double(pred.numel());
  }
  const double elements = double(n) * double(w.protocol().pred_len) * double(c - off);
  return comm.allreduce_sum(sum) / elements;
}

std::string checkpoint_task(const std::string& path) {
  const std::string file = best_or_latest_checkpoint(path);
  const h5::File f = h5::File::open_read(file);
  if (!f.has_attr("/", "config")) return "factformer2d";
  try {
    std::istringstream in(f.string_attr("/", "config"));
    const toml::value doc = toml::parse(in, file);
    if (doc.is_table() && doc.contains("task") && doc.at("task").is_string())
      return doc.at("task").as_string();
  } catch (const std::exception&) {
    // A deck that does not parse is reported by the task's own loader, with its location.
  }
  return "factformer2d";
}

TrainedForecaster load_trained_forecaster(const std::string& path) {
  const std::string file = best_or_latest_checkpoint(path);
  const Checkpoint checkpoint = read_checkpoint(file);
  Deck deck = Deck::resolve_text(forecast_task_schema(), checkpoint.config_toml,
                                 "checkpoint " + file + " (attribute config)", {});
  const h5::File h5file = h5::File::open_read(file);
  if (!h5file.exists("/forecast/scaler"))
    throw InputError(file +
                     ": /forecast/scaler: expected the training data's standardisation "
                     "(written by `portaformer train` for forecasters), found none");
  data::Normalization scaler = data::Normalization::load(h5file, "/forecast/scaler");
  Rng rng(0);  // the weights come from the checkpoint
  const ts::ForecastShape shape{deck.get_int("model.seq_len"), deck.get_int("model.pred_len"),
                                scaler.n_channels()};
  auto model = ts::make_forecaster(deck, shape, rng);
  load_params(file, as_named(model->state_dict()));
  model->set_training(false);
  return {file, std::move(deck), checkpoint.config_toml, std::move(scaler), std::move(model)};
}

}  // namespace pf
