// The long-horizon forecasting protocol of LTSF-Linear / TSLib (data_provider/data_loader.py):
// a chronological train/valid/test split, windows sliding by one row whose inputs may reach
// seq_len rows back into the previous split, per-channel standardisation fitted on the training
// rows only, and the feature modes M, S and MS. docs/timeseries.md states the arithmetic.
#pragma once

#include "data/normalization.hpp"
#include "data/series.hpp"
#include "tensor/tensor.hpp"

#include <string>
#include <vector>

namespace pf::data {

enum class FeatureMode { M, S, MS };
FeatureMode parse_feature_mode(const std::string& text);  // "M" | "S" | "MS", else InputError
const char* to_string(FeatureMode mode);

// Rows [0, train_end) train, [train_end, valid_end) validation, [valid_end, test_end) test; rows
// from test_end on are unused (ETT's split leaves the end of the files out).
struct SplitRows {
  Index train_end = 0, valid_end = 0, test_end = 0;
};

// The custom datasets' split: train = ⌊rows·train⌋, test = ⌊rows·test⌋, validation the rest.
SplitRows split_by_fractions(Index rows, double train_fraction, double test_fraction);
// ETT's: 12, 4 and 4 months of 30 days, `rows_per_hour` rows an hour (ETTh 1, ETTm 4); the
// file must hold 20 such months. InputError naming the rows needed otherwise.
SplitRows split_ett(Index rows, double rows_per_hour);
// Explicit borders {train_end, valid_end, test_end}; InputError unless 0 < a ≤ b ≤ c ≤ rows.
SplitRows split_explicit(Index rows, const std::vector<std::int64_t>& borders);

enum class Part { Train, Valid, Test };
const char* to_string(Part part);

// Per-channel mean and standard deviation (population, as sklearn's StandardScaler; a constant
// channel gets std 1 as there) of `columns` over rows [0, rows_end).
Normalization fit_standardization(const Series& series, const std::vector<Index>& columns,
                                  Index rows_end);

struct WindowProtocol {
  Index seq_len = 96, pred_len = 96;
  FeatureMode features = FeatureMode::M;
  std::string target;  // channel forecast in S and MS; empty: the last channel
  SplitRows split;
  bool scale = true;
};

struct WindowBatch {
  Tensor<float> x;  // [B, seq_len, C_in], standardised
  Tensor<float> y;  // [B, pred_len, C_in], standardised (MS: the loss reads the last channel)
};

// The model-ready data of one series under the protocol. Columns: M and MS take every channel
// with the target moved last (the reference's custom loader; a no-op when it is last already),
// S only the target.
class SeriesWindows {
 public:
  // `fixed` (e.g. a trained model's) replaces the statistics fitted on the training rows; its
  // channels must be the columns.
  SeriesWindows(const Series& series, WindowProtocol protocol,
                const Normalization* fixed = nullptr);

  const WindowProtocol& protocol() const { return protocol_; }
  const std::vector<std::string>& columns() const { return column_names_; }
  Index channels() const { return Index(column_names_.size()); }  // C_in of the model
  // Channels scored and forecast: all in M, the target (last column) in S and MS.
  Index output_offset() const { return protocol_.features == FeatureMode::M ? 0 : channels() - 1; }
  // mean 0, std 1 per column when protocol.scale is off.
  const Normalization& scaler() const { return scaler_; }

  // Windows of a part: its rows − pred_len + 1 (train: rows − seq_len − pred_len + 1), or 0.
  Index count(Part part) const;
  // First row of window 0's input.
  Index first_input_row(Part part) const;
  WindowBatch batch(Part part, const std::vector<std::int64_t>& windows) const;
  // The last seq_len rows of the series, standardised: the input of a forecast past the end.
  Tensor<float> last_input() const;

 private:
  WindowProtocol protocol_;
  std::vector<std::string> column_names_;
  Index rows_ = 0;
  std::vector<float> scaled_;  // [rows, C_in] row-major
  Normalization scaler_;
};

// How many test windows a loader with drop_last = True and this batch size skips: the
// reference PatchTST/Pathformer behaviour we do not copy.
inline Index dropped_by_drop_last(Index windows, Index batch_size) {
  return windows % batch_size;
}

}  // namespace pf::data
