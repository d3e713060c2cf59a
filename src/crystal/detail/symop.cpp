#include "crystal/detail/symop.hpp"

#include "crystal/detail/source_text.hpp"

#include <cctype>

namespace pf::crystal::detail {
namespace {

// Reads a number at s[pos] ("2", "0.5", "1/2", ".25"); returns false when none starts there.
bool read_number(const std::string& s, std::size_t& pos, double& value) {
  const auto digits = [&](std::size_t p) {
    while (p < s.size() && (std::isdigit(static_cast<unsigned char>(s[p])) || s[p] == '.'))
      ++p;
    return p;
  };
  const std::size_t end = digits(pos);
  if (end == pos) return false;
  double numerator = 0.0;
  if (!try_parse_number(s.substr(pos, end - pos), numerator)) return false;
  pos = end;
  value = numerator;
  if (pos < s.size() && s[pos] == '/') {
    const std::size_t den_end = digits(pos + 1);
    double denominator = 0.0;
    if (!try_parse_number(s.substr(pos + 1, den_end - pos - 1), denominator) ||
        denominator == 0.0) {
      return false;
    }
    value = numerator / denominator;
    pos = den_end;
  }
  return true;
}

}  // namespace

Vec3 SymOp::apply(const Vec3& f) const {
  Vec3 out{};
  for (int i = 0; i < 3; ++i) {
    out[i] = rotation[i][0] * f[0] + rotation[i][1] * f[1] + rotation[i][2] * f[2] + translation[i];
  }
  return out;
}

SymOp parse_symop(const std::string& text, const std::string& file, int line) {
  std::string s;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  const auto bad = [&](const std::string& why) {
    fail(file, line, "symmetry operation '" + text + "': " + why);
  };
  SymOp op;
  int row = 0;
  std::size_t pos = 0;
  while (true) {
    if (row > 2) bad("expected three comma-separated components");
    bool any = false;
    while (pos < s.size() && s[pos] != ',') {
      double sign = 1.0;
      if (s[pos] == '+' || s[pos] == '-') sign = s[pos++] == '-' ? -1.0 : 1.0;
      double number = 1.0;
      const bool has_number = read_number(s, pos, number);
      if (has_number && pos < s.size() && s[pos] == '*') ++pos;
      if (pos < s.size() && (s[pos] == 'x' || s[pos] == 'y' || s[pos] == 'z')) {
        op.rotation[row][s[pos] - 'x'] += sign * number;
        ++pos;
      } else if (has_number) {
        op.translation[row] += sign * number;
      } else {
        bad("unexpected '" + s.substr(pos, 1) + "'");
      }
      any = true;
    }
    if (!any) bad("empty component");
    ++row;
    if (pos >= s.size()) break;
    ++pos;  // the comma
  }
  if (row != 3) bad("expected three comma-separated components");
  return op;
}

}  // namespace pf::crystal::detail
