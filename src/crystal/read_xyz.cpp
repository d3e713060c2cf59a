#include "crystal/read_xyz.hpp"

#include "crystal/detail/finish.hpp"
#include "crystal/detail/source_text.hpp"
#include "crystal/lattice.hpp"

#include <fmt/format.h>

#include <cctype>
#include <sstream>

namespace pf::crystal {
namespace {

using detail::fail;

struct Column {
  std::string name;
  char type;  // S, R, I or L
  int width;
};

// key=value pairs of an extended XYZ comment line. Values may be "quoted" (with \" escapes) or
// {braced}; a key without '=' is a true flag and is kept with an empty value.
std::vector<std::pair<std::string, std::string>> key_values(const std::string& line,
                                                            const std::string& file, int number) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t i = 0;
  const auto token = [&](bool stop_at_equals) {
    std::string t;
    if (i < line.size() && (line[i] == '"' || line[i] == '{')) {
      const char close = line[i] == '"' ? '"' : '}';
      ++i;
      while (i < line.size() && line[i] != close) {
        if (line[i] == '\\' && i + 1 < line.size()) ++i;
        t += line[i++];
      }
      if (i >= line.size()) fail(file, number, std::string("unterminated ") + close + " value");
      ++i;
      return t;
    }
    while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i])) &&
           !(stop_at_equals && line[i] == '=')) {
      t += line[i++];
    }
    return t;
  };
  const auto skip_space = [&] {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i])))
      ++i;
  };
  skip_space();
  while (i < line.size()) {
    std::string key = token(true);
    skip_space();
    std::string value;
    if (i < line.size() && line[i] == '=') {
      ++i;
      skip_space();
      value = token(false);
    }
    if (key.empty()) fail(file, number, "key=value pair without a key");
    out.emplace_back(std::move(key), std::move(value));
    skip_space();
  }
  return out;
}

std::vector<Column> parse_properties(const std::string& spec, const std::string& file, int number) {
  const auto parts = [&] {
    std::vector<std::string> p;
    std::stringstream in(spec);
    std::string item;
    while (std::getline(in, item, ':'))
      p.push_back(item);
    return p;
  }();
  if (parts.size() % 3 != 0) {
    fail(file, number, "Properties='" + spec + "': expected name:type:columns triples");
  }
  std::vector<Column> columns;
  for (std::size_t k = 0; k < parts.size(); k += 3) {
    const std::string& type = parts[k + 1];
    if (type.size() != 1 || std::string("SRIL").find(type[0]) == std::string::npos) {
      fail(file, number,
           "Properties: column '" + parts[k] + "' has type '" + type + "', expected S, R, I or L");
    }
    const int width = detail::parse_int(parts[k + 2], file, number, "Properties column count");
    if (width < 1) fail(file, number, "Properties: column '" + parts[k] + "' has no columns");
    columns.push_back({parts[k], type[0], width});
  }
  return columns;
}

}  // namespace

std::vector<Structure> parse_xyz(const std::string& text, const std::string& source,
                                 const ReadOptions& options) {
  std::vector<std::string> lines;
  {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      lines.push_back(line);
    }
  }
  std::vector<Structure> out;
  std::size_t pos = 0;
  while (true) {
    while (pos < lines.size() && detail::trim(lines[pos]).empty())
      ++pos;
    if (pos >= lines.size()) break;
    const int count_line = static_cast<int>(pos) + 1;
    const int n = detail::parse_int(detail::trim(lines[pos]), source, count_line, "atom count");
    if (n < 1) fail(source, count_line, fmt::format("atom count {} (expected at least 1)", n));
    if (pos + 1 >= lines.size()) fail(source, count_line + 1, "truncated frame: no comment line");
    const int comment_line = count_line + 1;
    Structure s;
    bool has_lattice = false;
    std::vector<Column> columns = {{"species", 'S', 1}, {"pos", 'R', 3}};
    for (auto& [key, value] : key_values(lines[pos + 1], source, comment_line)) {
      const std::string k = detail::lower(key);
      if (k == "lattice") {
        const auto f = detail::split_whitespace(value);
        if (f.size() != 9) {
          fail(source, comment_line,
               fmt::format("Lattice: expected 9 numbers, found {}", f.size()));
        }
        for (int i = 0; i < 9; ++i) {
          s.lattice[i / 3][i % 3] = detail::parse_number(f[i], source, comment_line, "Lattice");
        }
        has_lattice = true;
      } else if (k == "properties") {
        columns = parse_properties(value, source, comment_line);
      } else if (k == "pbc") {
        const auto f = detail::split_whitespace(value);
        for (const auto& flag : f) {
          if (flag != "T" && flag != "True" && flag != "true") {
            fail(source, comment_line,
                 "pbc=\"" + value + "\": only structures periodic along all three axes are read");
          }
        }
      } else if (double v = 0.0; detail::try_parse_number(value, v)) {
        s.properties[key] = v;
      }
    }
    if (!has_lattice) {
      fail(source, comment_line,
           "no Lattice=\"…\" in the comment line: a periodic structure needs its cell");
    }
    detail::check_cell(s.lattice, source, comment_line);
    int species_col = -1, pos_col = -1, total = 0;
    bool species_numeric = false;
    for (const auto& c : columns) {
      if ((c.name == "species" && c.type == 'S') || (c.name == "Z" && c.type == 'I')) {
        if (c.width != 1) fail(source, comment_line, "Properties: species must have 1 column");
        species_col = total;
        species_numeric = c.type == 'I';
      } else if (c.name == "pos") {
        if (c.type != 'R' || c.width != 3) {
          fail(source, comment_line, "Properties: pos must be R:3");
        }
        pos_col = total;
      }
      total += c.width;
    }
    if (species_col < 0 || pos_col < 0) {
      fail(source, comment_line, "Properties must name species:S:1 (or Z:I:1) and pos:R:3");
    }
    const Mat3 inv = inverse(s.lattice);
    detail::SourceLines source_lines{comment_line, {}};
    for (int a = 0; a < n; ++a) {
      const std::size_t index = pos + 2 + static_cast<std::size_t>(a);
      const int line = static_cast<int>(index) + 1;
      if (index >= lines.size()) {
        fail(source, line,
             fmt::format("truncated frame: {} atoms announced on line {}, file ends after {}", n,
                         count_line, a));
      }
      const auto f = detail::split_whitespace(lines[index]);
      if (static_cast<int>(f.size()) != total) {
        fail(source, line,
             fmt::format("expected {} columns (Properties), found {}", total, f.size()));
      }
      const std::string& sp = f[static_cast<std::size_t>(species_col)];
      if (species_numeric) {
        const int z = detail::parse_int(sp, source, line, "atomic number");
        if (z < 1 || z > 118) fail(source, line, fmt::format("unknown element: Z = {}", z));
        s.species.push_back(z);
      } else {
        if (!is_element_symbol(sp)) fail(source, line, "unknown element '" + sp + "'");
        s.species.push_back(atomic_number(sp));
      }
      Vec3 r{};
      for (int k = 0; k < 3; ++k) {
        r[k] = detail::parse_number(f[static_cast<std::size_t>(pos_col + k)], source, line,
                                    "position");
      }
      s.frac.push_back(cart_to_frac(r, inv));
      source_lines.atoms.push_back(line);
    }
    detail::finish_structure(s, source, source_lines, options);
    s.id = std::to_string(out.size());
    out.push_back(std::move(s));
    pos += 2 + static_cast<std::size_t>(n);
  }
  if (out.empty()) fail(source, 0, "no frames (empty file)");
  const std::string name = detail::file_name(source);
  for (auto& s : out)
    s.id = out.size() == 1 ? name : name + ":" + s.id;
  return out;
}

std::vector<Structure> read_xyz(const std::string& path, const ReadOptions& options) {
  return parse_xyz(detail::read_text_file(path), path, options);
}

}  // namespace pf::crystal
