// CSV → Series: a header line, an optional date (or numeric time) column, numeric channels.
// Every problem is an InputError naming the file, the line, the column and the value.
#pragma once

#include "data/series.hpp"

#include <string>
#include <vector>

namespace pf::data {

// What happens to empty cells and NA/NaN/null markers in a channel:
//  error        stop with the line and column of the first one (default)
//  ffill        repeat the value above; a missing first value is an error
//  interpolate  linear in the row index between the nearest values above and below; at the
//               start or end of the file the nearest value is repeated
enum class MissingPolicy { Error, Ffill, Interpolate };
MissingPolicy parse_missing_policy(const std::string& text);
const char* to_string(MissingPolicy policy);

struct CsvImportOptions {
  // "": auto-detect (a column named date, time, datetime or timestamp, any case; else the first
  // column when its first cell is a calendar date); "none": no time column; else its name.
  std::string date_column;
  std::vector<std::string> columns;  // channels in this order; empty: every other column
  std::string target;                // if set, moved to the last channel (the reference's order)
  MissingPolicy missing = MissingPolicy::Error;
  char delimiter = ',';
  std::string source;                       // free text stored with the data
  std::vector<std::int64_t> split_borders;  // stored with the data when not empty
};

// The series with import_settings (the resolved options as TOML) filled in.
Series import_csv(const std::string& path, const CsvImportOptions& options);

}  // namespace pf::data
