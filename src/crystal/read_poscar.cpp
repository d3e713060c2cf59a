#include "crystal/read_poscar.hpp"

#include "crystal/detail/finish.hpp"
#include "crystal/detail/source_text.hpp"
#include "crystal/lattice.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <sstream>

namespace pf::crystal {
namespace {

using detail::fail;

class Lines {
 public:
  Lines(const std::string& text, std::string file) : file_(std::move(file)) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      lines_.push_back(line);
    }
  }
  // The next line's fields; `what` says what was expected when the file ends early.
  std::vector<std::string> next(const std::string& what) {
    if (pos_ >= lines_.size()) {
      fail(file_, static_cast<int>(pos_) + 1, "truncated file: expected " + what);
    }
    return detail::split_whitespace(lines_[pos_++]);
  }
  int line() const { return static_cast<int>(pos_); }  // 1-based number of the last line read
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::vector<std::string> lines_;
  std::size_t pos_ = 0;
};

Vec3 three_numbers(Lines& in, const std::string& what) {
  const auto f = in.next(what);
  if (f.size() < 3) {
    fail(in.file(), in.line(), fmt::format("{}: expected 3 numbers, found {}", what, f.size()));
  }
  Vec3 v{};
  for (int k = 0; k < 3; ++k)
    v[k] = detail::parse_number(f[k], in.file(), in.line(), what);
  return v;
}

bool all_integers(const std::vector<std::string>& fields) {
  if (fields.empty()) return false;
  for (const auto& f : fields) {
    for (char c : f) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    }
  }
  return true;
}

// "Fe_pv" → "Fe", "Fe/5a3b" → "Fe".
std::string species_name(const std::string& token) {
  return token.substr(0, token.find_first_of("_/"));
}

}  // namespace

Structure parse_poscar(const std::string& text, const std::string& source,
                       const ReadOptions& options) {
  Lines in(text, source);
  const auto comment = in.next("a comment line");
  const auto scale_fields = in.next("the scale factor");
  const int scale_line = in.line();
  if (scale_fields.size() != 1 && scale_fields.size() != 3) {
    fail(source, scale_line,
         fmt::format("expected one scale factor or three, found {} values", scale_fields.size()));
  }
  std::vector<double> scale;
  for (const auto& f : scale_fields) {
    scale.push_back(detail::parse_number(f, source, scale_line, "scale factor"));
  }
  Structure s;
  for (int i = 0; i < 3; ++i)
    s.lattice[i] = three_numbers(in, "lattice vector");
  const int cell_line = scale_line + 1;
  detail::check_cell(s.lattice, source, cell_line);
  // One factor per Cartesian axis; they scale the lattice and Cartesian positions alike.
  Vec3 factor{};
  if (scale.size() == 3) {
    for (int j = 0; j < 3; ++j) {
      if (scale[j] <= 0.0) fail(source, scale_line, "per-axis scale factors must be positive");
      factor[j] = scale[j];
    }
  } else {
    if (scale[0] == 0.0) fail(source, scale_line, "scale factor 0");
    // A negative value is the cell volume wanted, in Å³.
    const double f =
        scale[0] > 0.0 ? scale[0] : std::cbrt(-scale[0] / std::abs(determinant(s.lattice)));
    factor = {f, f, f};
  }
  for (auto& row : s.lattice) {
    for (int j = 0; j < 3; ++j)
      row[j] *= factor[j];
  }

  auto fields = in.next("the species or counts line");
  std::vector<std::string> symbols;
  int symbols_line = in.line();
  if (all_integers(fields)) {
    // VASP 4: no species line; ASE's convention takes the symbols from the comment line.
    for (const auto& token : comment) {
      const std::string sym = species_name(token);
      if (is_element_symbol(sym)) symbols.push_back(sym);
    }
    symbols_line = 1;
    if (symbols.size() != fields.size()) {
      fail(source, in.line(),
           fmt::format("VASP 4 file (no species line): the comment line must name the {} species "
                       "in order, found {} element symbols there",
                       fields.size(), symbols.size()));
    }
  } else {
    for (const auto& token : fields)
      symbols.push_back(species_name(token));
    fields = in.next("the counts line");
  }
  const int counts_line = in.line();
  if (fields.size() != symbols.size()) {
    fail(source, counts_line,
         fmt::format("{} species on line {} but {} counts", symbols.size(), symbols_line,
                     fields.size()));
  }
  std::vector<int> species;
  for (std::size_t k = 0; k < symbols.size(); ++k) {
    if (!is_element_symbol(symbols[k])) {
      fail(source, symbols_line, "unknown element '" + symbols[k] + "'");
    }
    const int count = detail::parse_int(fields[k], source, counts_line, "atom count");
    if (count < 0) fail(source, counts_line, "negative atom count");
    species.insert(species.end(), static_cast<std::size_t>(count), atomic_number(symbols[k]));
  }

  auto mode = in.next("Direct or Cartesian");
  bool selective = false;
  if (!mode.empty() && std::tolower(static_cast<unsigned char>(mode[0][0])) == 's') {
    selective = true;
    mode = in.next("Direct or Cartesian");
  }
  if (mode.empty()) fail(source, in.line(), "expected Direct or Cartesian, found an empty line");
  const char m = static_cast<char>(std::tolower(static_cast<unsigned char>(mode[0][0])));
  const bool cartesian = m == 'c' || m == 'k';
  if (!cartesian && m != 'd') {
    fail(source, in.line(), "expected Direct or Cartesian, found '" + mode[0] + "'");
  }

  const Mat3 inv = inverse(s.lattice);
  detail::SourceLines lines{cell_line, {}};
  for (std::size_t i = 0; i < species.size(); ++i) {
    const std::string what = fmt::format("position of atom {} of {}", i + 1, species.size());
    const auto f = in.next(what);
    const int line = in.line();
    if (f.size() < 3) fail(source, line, fmt::format("{}: expected 3 numbers", what));
    Vec3 p{};
    for (int k = 0; k < 3; ++k)
      p[k] = detail::parse_number(f[k], source, line, what);
    if (selective) {
      if (f.size() < 6) fail(source, line, what + ": selective dynamics needs three T/F flags");
      for (int k = 3; k < 6; ++k) {
        if (f[k] != "T" && f[k] != "F") {
          fail(source, line, what + ": expected a T or F flag, found '" + f[k] + "'");
        }
      }
    }
    if (cartesian) {
      // Cartesian positions are scaled like the lattice.
      for (int k = 0; k < 3; ++k)
        p[k] *= factor[k];
      p = cart_to_frac(p, inv);
    }
    s.species.push_back(species[i]);
    s.frac.push_back(p);
    lines.atoms.push_back(line);
  }
  s.id = detail::file_name(source);
  detail::finish_structure(s, source, lines, options);
  return s;
}

Structure read_poscar(const std::string& path, const ReadOptions& options) {
  return parse_poscar(detail::read_text_file(path), path, options);
}

}  // namespace pf::crystal
