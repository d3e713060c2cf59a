// The time-series forecasting task (`task = "forecast"`): its deck, its data under the protocol
// (data/series_windows.hpp), a forecaster built or brought back from a checkpoint — what
// `train`, `evaluate` and `predict` share.
#pragma once

#include "config/deck.hpp"
#include "data/series.hpp"
#include "data/series_windows.hpp"
#include "models/timeseries/forecaster.hpp"

#include <memory>
#include <string>

namespace pf {

inline constexpr const char* kForecastTaskName = "forecast";

// Every option: data.* (file, trajectory, split, features), model.* (registry + seq_len,
// pred_len, label_len), optim.*, schedule.lradj, train.*, eval.*, and `task`.
DeckSchema forecast_task_schema();

// Ranges the schema's types cannot express; InputError naming the key, expected and found.
void validate_forecast_deck(const Deck& deck);

// The protocol of the deck for a series (its split rows resolved against the series).
data::WindowProtocol forecast_protocol(const Deck& deck, const data::Series& series);

struct ForecastData {
  data::Series series;
  std::shared_ptr<const data::SeriesWindows> windows;
};

// Reads data.path (or `path_override`) and lays the deck's protocol over it; `fixed` replaces
// the statistics fitted on the training rows (a trained model's).
ForecastData open_forecast_data(const Deck& deck, const std::string& path_override = "",
                                const data::Normalization* fixed = nullptr);

// Mean squared error of the scored channels over windows [0, count) of a part, on standardised
// data, in batches; each rank takes every size-th batch and the sums are reduced.
double forecast_loss(ts::Forecaster& model, const data::SeriesWindows& windows, data::Part part,
                     const std::string& loss, Index batch_size);

// A model trained by `portaformer train` with its deck and the standardisation of its data.
struct TrainedForecaster {
  std::string checkpoint;
  Deck deck;
  std::string deck_toml;
  data::Normalization scaler;  // per model column
  std::shared_ptr<ts::Forecaster> model;
};

// `path` is a checkpoint file, or a run directory: its checkpoint_best.h5 (the weights with the
// lowest validation loss, what TSLib tests) when there is one, else its newest checkpoint.
TrainedForecaster load_trained_forecaster(const std::string& path);

// The task a checkpoint (file or run directory) was trained for: its deck's `task` key, or
// "factformer2d" (the default task) when the deck has none.
std::string checkpoint_task(const std::string& path);

}  // namespace pf
