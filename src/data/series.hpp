// Multichannel time series in memory and on disk (docs/timeseries.md has the HDF5 layout):
// PortaFormer's own series files (`portaformer import-csv`) and the per-frame `scalars/` of a
// Well-layout simulation file (one trajectory's series as channels).
#pragma once

#include "core/types.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace pf::data {

inline constexpr const char* kSeriesFormat = "portaformer-series";
inline constexpr std::int64_t kSeriesFormatVersion = 1;

struct Series {
  std::string path;                   // file it was read from (empty when built in memory)
  std::vector<std::string> channels;  // names, one per column of `values`
  Index rows = 0;
  std::vector<float> values;     // [rows, channels] row-major
  std::vector<double> time;      // [rows], or empty when the file stores none
  std::string time_unit;         // kEpochSecondsUnit, "step", or the unit the source states
  double sampling_interval = 0;  // in time units; 0 when unknown or irregular
  std::string source;            // where the numbers came from, free text
  std::vector<std::int64_t> split_borders;  // {train_end, valid_end, test_end} rows, or empty
  std::string import_settings;              // how the file was made (resolved options, TOML)

  Index channel_count() const { return Index(channels.size()); }
  // Column of a channel; InputError listing the channels when there is none of that name.
  Index channel_index(const std::string& name) const;
  float at(Index row, Index channel) const {
    return values[size_t(row * channel_count() + channel)];
  }
};

// A series file or, for a Well-layout file (it has /scalars and no /data), the time-varying
// scalars of trajectory `trajectory` with the file's /dimensions/time. InputError names the
// file, the object, what was expected and what was found.
Series read_series(const std::string& path, Index trajectory = 0);

// Writes a series file atomically (temporary name, rename): a failed write leaves nothing under
// `path`. The series must be consistent (logic_error otherwise).
void write_series(const std::string& path, const Series& series, const std::string& producer);

// sampling_interval from the time axis: the common step when every step is the same within
// 1e-4 of it (Well time axes are float32: t = t0 + k·dt rounds at ~1e-7 of t), else 0.
double uniform_step(const std::vector<double>& time);

}  // namespace pf::data
