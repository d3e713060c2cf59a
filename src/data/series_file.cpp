// PortaFormer's series files: /data [T, C] fp32, /time [T] fp64 with its unit, names and
// provenance as attributes of /.
#include "core/error.hpp"
#include "data/series.hpp"
#include "io/hdf5.hpp"
#include "io/hdf5_atomic.hpp"

#include <cmath>
#include <stdexcept>

namespace pf::data {

Series read_well_scalars(const h5::File& file, Index trajectory);  // series_well.cpp

Index Series::channel_index(const std::string& name) const {
  for (size_t i = 0; i < channels.size(); ++i)
    if (channels[i] == name) return Index(i);
  std::string known;
  for (const auto& c : channels)
    known += (known.empty() ? "" : ", ") + c;
  throw InputError((path.empty() ? std::string("series") : path) + ": expected a channel named '" +
                   name + "', found only " + known);
}

double uniform_step(const std::vector<double>& time) {
  if (time.size() < 2) return 0;
  const double step = time[1] - time[0];
  if (!(step > 0)) return 0;
  for (size_t i = 2; i < time.size(); ++i)
    if (std::abs(time[i] - time[i - 1] - step) > 1e-4 * std::abs(step)) return 0;
  return step;
}

namespace {

Series read_own(const h5::File& f) {
  const std::string& path = f.path();
  const std::int64_t version = f.int_attr("/", "format_version");
  if (version != kSeriesFormatVersion)
    throw InputError(path + ": attribute format_version: expected " +
                     std::to_string(kSeriesFormatVersion) + ", found " + std::to_string(version));
  Series s;
  s.path = path;
  const auto data = f.read<float>("/data");
  if (data.shape.size() != 2)
    throw InputError(path + ": /data: expected a 2-D array [rows, channels], found shape " +
                     to_string(data.shape));
  s.rows = data.shape[0];
  s.values = data.values;
  s.channels = f.string_array_attr("/", "channels");
  if (Index(s.channels.size()) != data.shape[1])
    throw InputError(path + ": attribute channels: expected " + std::to_string(data.shape[1]) +
                     " names (columns of /data), found " + std::to_string(s.channels.size()));
  if (f.exists("/time")) {
    const auto time = f.read<double>("/time");
    if (time.shape != Shape{s.rows})
      throw InputError(path + ": /time: expected shape [" + std::to_string(s.rows) + "], found " +
                       to_string(time.shape));
    s.time = time.values;
    s.time_unit = f.string_attr("/time", "unit");
  }
  if (f.has_attr("/", "sampling_interval"))
    s.sampling_interval = f.double_attr("/", "sampling_interval");
  if (f.has_attr("/", "source")) s.source = f.string_attr("/", "source");
  if (f.has_attr("/", "import_settings")) s.import_settings = f.string_attr("/", "import_settings");
  if (f.has_attr("/", "split_borders")) {
    s.split_borders = f.int_array_attr("/", "split_borders");
    const auto& b = s.split_borders;
    if (b.size() != 3 || b[0] < 1 || b[0] > b[1] || b[1] > b[2] || b[2] > s.rows)
      throw InputError(path +
                       ": attribute split_borders: expected [train_end, valid_end, "
                       "test_end] with 0 < train_end ≤ valid_end ≤ test_end ≤ " +
                       std::to_string(s.rows) + " rows, found " + std::to_string(b.size()) +
                       " values");
  }
  return s;
}

}  // namespace

Series read_series(const std::string& path, Index trajectory) {
  const h5::File f = h5::File::open_read(path);
  if (f.has_attr("/", "format")) {
    const std::string format = f.string_attr("/", "format");
    if (format != kSeriesFormat)
      throw InputError(path + ": attribute format: expected \"" + std::string(kSeriesFormat) +
                       "\", found \"" + format + "\"");
    return read_own(f);
  }
  if (f.exists("/scalars")) return read_well_scalars(f, trajectory);
  throw InputError(path +
                   ": expected a series file (format = \"portaformer-series\", /data) or a "
                   "Well-layout file with /scalars, found neither");
}

void write_series(const std::string& path, const Series& s, const std::string& producer) {
  const Index c = s.channel_count();
  if (s.values.size() != size_t(s.rows * c) || (!s.time.empty() && Index(s.time.size()) != s.rows))
    throw std::logic_error("write_series: values, channels and time do not agree");
  h5::write_file_atomically(path, [&](h5::File& f) {
    f.set_string_attr("/", "format", kSeriesFormat);
    f.set_int_attr("/", "format_version", kSeriesFormatVersion);
    f.set_string_array_attr("/", "channels", s.channels);
    f.set_double_attr("/", "sampling_interval", s.sampling_interval);
    f.set_string_attr("/", "source", s.source);
    f.set_string_attr("/", "import_settings", s.import_settings);
    if (!producer.empty()) f.set_string_attr("/", "producer", producer);
    if (!s.split_borders.empty()) f.set_int_array_attr("/", "split_borders", s.split_borders);
    h5::WriteOptions opt;
    opt.chunk = {std::min<Index>(std::max<Index>(s.rows, 1), 4096), std::max<Index>(c, 1)};
    opt.shuffle = true;
    opt.deflate_level = 4;
    f.write("/data", s.values, {s.rows, c}, s.rows > 0 ? opt : h5::WriteOptions{});
    if (!s.time.empty()) {
      f.write("/time", s.time, {s.rows});
      f.set_string_attr("/time", "unit", s.time_unit);
    }
  });
}

}  // namespace pf::data
