#include "crystal/target_table.hpp"

#include "crystal/detail/source_text.hpp"

#include <fmt/format.h>

#include <sstream>

namespace pf::crystal {
namespace {

// Comma-separated fields with optional "double quotes" (no embedded newlines).
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back(detail::trim(field));
      field.clear();
    } else {
      field += c;
    }
  }
  fields.emplace_back(detail::trim(field));
  return fields;
}

}  // namespace

TargetTable read_target_table(const std::string& path) {
  std::istringstream in(detail::read_text_file(path));
  TargetTable table;
  std::string line;
  int number = 0;
  bool first = true;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (detail::trim(line).empty()) continue;
    const auto fields = csv_fields(line);
    if (fields.size() < 2) {
      detail::fail(path, number, "expected an id and at least one target, separated by commas");
    }
    if (first) {
      first = false;
      bool numeric = true;
      double value = 0.0;
      for (std::size_t k = 1; k < fields.size(); ++k) {
        numeric = numeric && (fields[k].empty() || detail::try_parse_number(fields[k], value));
      }
      if (!numeric) {
        table.names.assign(fields.begin() + 1, fields.end());
        continue;
      }
      for (std::size_t k = 1; k < fields.size(); ++k) {
        table.names.push_back(fields.size() == 2 ? "target" : fmt::format("target{}", k - 1));
      }
    }
    if (fields.size() != table.names.size() + 1) {
      detail::fail(path, number,
                   fmt::format("expected {} columns (id and {} targets), found {}",
                               table.names.size() + 1, table.names.size(), fields.size()));
    }
    const std::string& id = fields[0];
    if (id.empty()) detail::fail(path, number, "empty id");
    if (table.rows.count(id)) {
      detail::fail(path, number, fmt::format("id '{}' repeats line {}", id, table.lines.at(id)));
    }
    auto& row = table.rows[id];
    table.lines[id] = number;
    for (std::size_t k = 1; k < fields.size(); ++k) {
      if (fields[k].empty()) continue;
      row[table.names[k - 1]] =
          detail::parse_number(fields[k], path, number, "target " + table.names[k - 1]);
    }
  }
  if (table.names.empty()) detail::fail(path, 0, "no rows");
  return table;
}

std::string find_row(const TargetTable& table, const std::string& id) {
  if (table.rows.count(id)) return id;
  // Strip the extension of the file part: "dir/mp-1.cif" → "dir/mp-1", "a.xyz:3" → "a:3".
  const auto slash = id.find_last_of('/');
  const auto colon = id.find(':', slash == std::string::npos ? 0 : slash);
  const std::string file = id.substr(0, colon);
  const std::string rest = colon == std::string::npos ? "" : id.substr(colon);
  const auto dot = file.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return {};
  const std::string stem = file.substr(0, dot) + rest;
  return table.rows.count(stem) ? stem : std::string();
}

}  // namespace pf::crystal
