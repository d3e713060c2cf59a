#include "crystal/detail/source_text.hpp"

#include "core/error.hpp"
#include "crystal/structure.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace pf::crystal::detail {

std::string where(const std::string& file, int line) {
  return line > 0 ? file + ":" + std::to_string(line) + ": " : file + ": ";
}

void fail(const std::string& file, int line, const std::string& problem) {
  throw InputError(where(file, line) + problem);
}

bool try_parse_number(std::string_view token, double& value) {
  if (token.empty()) return false;
  // strtod accepts the forms files use ("1.", ".5", "1E+02") and, unlike from_chars, a leading
  // '+'; it needs a terminated string.
  const std::string text(token);
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && std::isfinite(value);
}

double parse_number(std::string_view token, const std::string& file, int line,
                    const std::string& what) {
  double value = 0.0;
  if (!try_parse_number(token, value)) {
    fail(file, line, what + ": expected a number, found '" + std::string(token) + "'");
  }
  return value;
}

double parse_number_su(std::string_view token, const std::string& file, int line,
                       const std::string& what) {
  const auto open = token.find('(');
  if (open != std::string_view::npos && token.back() == ')') token = token.substr(0, open);
  return parse_number(token, file, line, what);
}

int parse_int(std::string_view token, const std::string& file, int line, const std::string& what) {
  int value = 0;
  const auto* end = token.data() + token.size();
  const auto [ptr, ec] = std::from_chars(token.data(), end, value);
  if (token.empty() || ec != std::errc() || ptr != end) {
    fail(file, line, what + ": expected an integer, found '" + std::string(token) + "'");
  }
  return value;
}

std::vector<std::string> split_whitespace(std::string_view line) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i])))
      ++i;
    const std::size_t start = i;
    while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i])))
      ++i;
    if (i > start) out.emplace_back(line.substr(start, i - start));
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string leading_element(std::string_view label) {
  if (label.empty() || !std::isupper(static_cast<unsigned char>(label[0]))) return {};
  if (label.size() > 1 && std::islower(static_cast<unsigned char>(label[1]))) {
    // "Os" is osmium but "Ow" (water oxygen) is not an element: then one letter.
    const std::string two(label.substr(0, 2));
    if (is_element_symbol(two)) return two;
  }
  return std::string(label.substr(0, 1));
}

}  // namespace pf::crystal::detail

namespace pf::crystal::detail {

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, 0, "cannot be read (missing, or not a readable file)");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) fail(path, 0, "read error");
  return text.str();
}

}  // namespace pf::crystal::detail
