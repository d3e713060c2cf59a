#include "data/csv_import.hpp"

#include "core/error.hpp"
#include "data/timestamps.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace pf::data {

MissingPolicy parse_missing_policy(const std::string& text) {
  if (text == "error") return MissingPolicy::Error;
  if (text == "ffill") return MissingPolicy::Ffill;
  if (text == "interpolate") return MissingPolicy::Interpolate;
  throw InputError("--missing: expected error, ffill or interpolate, found '" + text + "'");
}

const char* to_string(MissingPolicy p) {
  return p == MissingPolicy::Error ? "error" : p == MissingPolicy::Ffill ? "ffill" : "interpolate";
}

namespace {

struct Record {
  Index line;  // 1-based line where the record starts
  std::vector<std::string> fields;
};

// RFC 4180 records: quoted fields may hold delimiters, doubled quotes and line breaks; CRLF and
// LF both end a record; blank lines are skipped.
std::vector<Record> read_records(const std::string& path, char delim) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": expected a readable CSV file, found none");
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string text = buf.str();
  std::vector<Record> records;
  Record cur{1, {}};
  std::string field;
  bool quoted = false, field_started = false, any = false;
  Index line = 1;
  const auto end_field = [&] {
    cur.fields.push_back(field);
    field.clear();
    field_started = false;
  };
  const auto end_record = [&] {
    if (any) {
      end_field();
      records.push_back(std::move(cur));
    }
    cur = Record{line + 1, {}};
    field.clear();
    any = field_started = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (quoted) {
      if (ch == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (ch == '\n') ++line;
        field += ch;
      }
      continue;
    }
    if (ch == '"' && !field_started) {
      quoted = field_started = any = true;
    } else if (ch == delim) {
      any = true;
      end_field();
    } else if (ch == '\n') {
      end_record();
      ++line;
    } else if (ch == '\r') {
      // part of CRLF (or a stray CR): ignored
    } else {
      field += ch;
      field_started = any = true;
    }
  }
  if (quoted)
    throw InputError(fmt::format("{}: line {}: expected a closing quote, found the end of the file",
                                 path, cur.line));
  end_record();
  return records;
}

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t") - a + 1);
}

std::string lower(std::string s) {
  for (auto& c : s)
    c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool is_missing(const std::string& cell) {
  const std::string l = lower(cell);
  return l.empty() || l == "na" || l == "nan" || l == "null" || l == "n/a" || l == "none";
}

bool parse_number(const std::string& cell, double& value) {
  if (cell.empty()) return false;
  char* end = nullptr;
  value = std::strtod(cell.c_str(), &end);
  return end == cell.c_str() + cell.size() && std::isfinite(value);
}

std::string toml_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string toml_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i)
    out += (i ? ", " : "") + toml_string(items[i]);
  return out + "]";
}

}  // namespace

Series import_csv(const std::string& path, const CsvImportOptions& opt) {
  const std::vector<Record> records = read_records(path, opt.delimiter);
  if (records.empty())
    throw InputError(path + ": expected a header line naming the columns, found an empty file");
  std::vector<std::string> header;
  for (const auto& h : records[0].fields)
    header.push_back(trim(h));
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i].empty())
      throw InputError(
          fmt::format("{}: line {}: header field {}: expected a column name, found "
                      "an empty field",
                      path, records[0].line, i + 1));
    for (size_t j = 0; j < i; ++j)
      if (header[j] == header[i])
        throw InputError(
            fmt::format("{}: line {}: header: expected distinct column names, found "
                        "'{}' twice",
                        path, records[0].line, header[i]));
  }
  if (records.size() < 2)
    throw InputError(path + ": expected data rows after the header, found none");
  const auto column_of = [&](const std::string& name, const char* option) {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end())
      throw InputError(fmt::format("{}: {} '{}': expected a column of the header ({}), found none",
                                   path, option, name, fmt::join(header, ", ")));
    return Index(it - header.begin());
  };
  for (size_t r = 1; r < records.size(); ++r)
    if (records[r].fields.size() != header.size())
      throw InputError(fmt::format("{}: line {}: expected {} fields as the header has, found {}",
                                   path, records[r].line, header.size(), records[r].fields.size()));

  // The time column.
  Index date_col = -1;
  if (opt.date_column == "none") {
  } else if (!opt.date_column.empty()) {
    date_col = column_of(opt.date_column, "--date-column");
  } else {
    for (size_t i = 0; i < header.size() && date_col < 0; ++i) {
      const std::string l = lower(header[i]);
      if (l == "date" || l == "time" || l == "datetime" || l == "timestamp") date_col = Index(i);
    }
    if (date_col < 0 && !records[1].fields.empty() && looks_like_date(trim(records[1].fields[0])) &&
        trim(records[1].fields[0]).find_first_of("-/") != std::string::npos)
      date_col = 0;
  }

  std::vector<Index> cols;
  if (opt.columns.empty()) {
    for (Index i = 0; i < Index(header.size()); ++i)
      if (i != date_col) cols.push_back(i);
  } else {
    for (const auto& name : opt.columns) {
      const Index c = column_of(name, "--columns");
      if (c == date_col)
        throw InputError(path + ": --columns: '" + name +
                         "' is the date column, expected a channel");
      cols.push_back(c);
    }
  }
  if (!opt.target.empty()) {
    const Index t = column_of(opt.target, "--target");
    auto it = std::find(cols.begin(), cols.end(), t);
    if (it == cols.end())
      throw InputError(path + ": --target '" + opt.target + "': expected one of the channels");
    cols.erase(it);
    cols.push_back(t);
  }
  if (cols.empty()) throw InputError(path + ": expected at least one channel column, found none");

  Series s;
  s.path = path;
  const Index rows = Index(records.size()) - 1, c = Index(cols.size());
  s.rows = rows;
  for (Index col : cols)
    s.channels.push_back(header[size_t(col)]);
  s.values.assign(size_t(rows * c), NAN);
  std::vector<bool> missing(size_t(rows * c), false);
  Index filled = 0;
  for (Index r = 0; r < rows; ++r) {
    const Record& rec = records[size_t(r + 1)];
    for (Index j = 0; j < c; ++j) {
      const std::string cell = trim(rec.fields[size_t(cols[size_t(j)])]);
      double v;
      if (parse_number(cell, v)) {
        s.values[size_t(r * c + j)] = float(v);
      } else if (is_missing(cell)) {
        if (opt.missing == MissingPolicy::Error)
          throw InputError(fmt::format(
              "{}: line {}, column '{}': expected a number, found a missing value ('{}'); choose "
              "--missing ffill or interpolate to fill gaps",
              path, rec.line, s.channels[size_t(j)], cell));
        missing[size_t(r * c + j)] = true;
        ++filled;
      } else {
        throw InputError(fmt::format("{}: line {}, column '{}': expected a number, found '{}'",
                                     path, rec.line, s.channels[size_t(j)], cell));
      }
    }
  }
  // Fill gaps channel by channel.
  for (Index j = 0; j < c && filled > 0; ++j) {
    Index prev = -1;  // last row with a value
    for (Index r = 0; r <= rows; ++r) {
      if (r < rows && missing[size_t(r * c + j)]) continue;
      // rows (prev, r) are missing
      for (Index g = prev + 1; g < r; ++g) {
        float& v = s.values[size_t(g * c + j)];
        if (opt.missing == MissingPolicy::Ffill) {
          if (prev < 0)
            throw InputError(
                fmt::format("{}: line {}, column '{}': expected a value to carry "
                            "forward (--missing ffill), found a missing first value",
                            path, records[size_t(g + 1)].line, s.channels[size_t(j)]));
          v = s.values[size_t(prev * c + j)];
        } else if (prev < 0 && r >= rows) {
          throw InputError(fmt::format("{}: column '{}': expected at least one value, found none",
                                       path, s.channels[size_t(j)]));
        } else if (prev < 0) {
          v = s.values[size_t(r * c + j)];
        } else if (r >= rows) {
          v = s.values[size_t(prev * c + j)];
        } else {
          const double w = double(g - prev) / double(r - prev);
          v = float((1 - w) * s.values[size_t(prev * c + j)] + w * s.values[size_t(r * c + j)]);
        }
      }
      prev = r;
    }
  }

  if (date_col >= 0) {
    const std::string& name = header[size_t(date_col)];
    bool calendar = true;
    for (Index r = 0; r < rows; ++r) {
      const Record& rec = records[size_t(r + 1)];
      const std::string cell = trim(rec.fields[size_t(date_col)]);
      double v;
      std::optional<double> t;
      if (r == 0) calendar = looks_like_date(cell);
      if (calendar)
        t = parse_timestamp(cell);
      else if (parse_number(cell, v))
        t = v;
      if (!t)
        throw InputError(fmt::format("{}: line {}, column '{}': expected {}, found '{}'", path,
                                     rec.line, name,
                                     calendar ? "a date like 2016-07-01 00:00:00 (as the rows "
                                                "above)"
                                              : "a number (as the rows above)",
                                     cell));
      if (!s.time.empty() && !(*t > s.time.back()))
        throw InputError(
            fmt::format("{}: line {}, column '{}': expected a time after the row "
                        "above, found '{}'",
                        path, rec.line, name, cell));
      s.time.push_back(*t);
    }
    s.time_unit = calendar ? kEpochSecondsUnit : name;
    s.sampling_interval = uniform_step(s.time);
  } else {
    s.time_unit = "step";
    s.sampling_interval = 1;
    for (Index r = 0; r < rows; ++r)
      s.time.push_back(double(r));
  }
  s.source = opt.source.empty() ? path : opt.source;
  s.split_borders = opt.split_borders;
  if (!s.split_borders.empty()) {
    const auto& b = s.split_borders;
    if (b.size() != 3 || b[0] < 1 || b[0] > b[1] || b[1] > b[2] || b[2] > rows)
      throw InputError(
          fmt::format("--split-borders: expected train_end,valid_end,test_end with 0 < "
                      "train_end ≤ valid_end ≤ test_end ≤ {} rows, found {}",
                      rows, fmt::join(b, ",")));
  }
  std::ostringstream settings;
  settings << "csv = " << toml_string(path) << "\n"
           << "date_column = "
           << toml_string(date_col >= 0 ? header[size_t(date_col)] : std::string("none")) << "\n"
           << "columns = " << toml_list(s.channels) << "\n"
           << "target = " << toml_string(opt.target) << "\n"
           << "missing = " << toml_string(to_string(opt.missing)) << "\n"
           << "filled_cells = " << filled << "\n"
           << "delimiter = " << toml_string(std::string(1, opt.delimiter)) << "\n"
           << "rows = " << rows << "\n";
  s.import_settings = settings.str();
  return s;
}

}  // namespace pf::data
