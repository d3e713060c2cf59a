// `portaformer evaluate` and `portaformer predict` for forecasters: scores on a split of the
// protocol, and forecasts (past the end of the data by default) in original units.
#pragma once

#include "core/types.hpp"

#include <string>

namespace pf {

struct ForecastRequest {
  std::string checkpoint;      // checkpoint file or run directory
  std::string data;            // series; empty: the one the model was trained on
  std::string split = "test";  // evaluate: train | valid | test
  Index start = -1;  // predict: first input row; < 0: the last seq_len rows (forecast the future)
  std::string output_dir;
  std::string producer;  // "portaformer <version>", stored in HDF5 outputs
};

// MSE and MAE over every window of the split (none dropped), on standardised data (as the
// references report them) and in original units, overall and per scored channel. Writes
// OUTPUT/metrics.json and OUTPUT/metrics.csv; returns the exit code.
int evaluate_forecaster(const ForecastRequest& request);

// One forecast of pred_len rows from seq_len input rows, in original units, with the truth where
// the data hold it. Writes OUTPUT/predictions.h5 (a series file: /data, /time, plus /input,
// /input_time and /truth), OUTPUT/forecast.csv and OUTPUT/predict.json; returns the exit code.
int predict_forecaster(const ForecastRequest& request);

}  // namespace pf
