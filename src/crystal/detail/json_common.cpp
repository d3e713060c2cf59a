#include "crystal/detail/json_common.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace pf::crystal::detail {

json parse_json_text(const std::string& text, const std::string& file) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    fail(file, line_of_byte(text, e.byte), std::string("malformed JSON: ") + e.what());
  }
}

int line_of_byte(const std::string& text, std::size_t byte) {
  byte = std::min(byte, text.size());
  return 1 + static_cast<int>(
                 std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(byte), '\n'));
}

int line_of_key(const std::string& text, const std::string& key) {
  const std::string quoted = "\"" + key + "\"";
  for (std::size_t at = text.find(quoted); at != std::string::npos;
       at = text.find(quoted, at + 1)) {
    std::size_t after = at + quoted.size();
    while (after < text.size() && std::isspace(static_cast<unsigned char>(text[after])))
      ++after;
    if (after < text.size() && text[after] == ':') return line_of_byte(text, at);
  }
  return 0;
}

std::vector<double> numbers(const json& value, std::size_t expected, const std::string& what,
                            const EntryContext& ctx) {
  std::vector<double> out;
  const json* data = &value;
  if (value.is_object() && value.contains("__ndarray__")) {
    const json& nd = value["__ndarray__"];
    if (!nd.is_array() || nd.size() != 3) ctx.fail(what + ": malformed __ndarray__");
    data = &nd[2];
  }
  const auto walk = [&](const json& v, auto&& self) -> void {
    if (v.is_array()) {
      for (const auto& item : v)
        self(item, self);
    } else if (v.is_number()) {
      out.push_back(v.get<double>());
    } else {
      ctx.fail(what + ": expected numbers, found " + v.dump());
    }
  };
  walk(*data, walk);
  if (expected > 0 && out.size() != expected) {
    ctx.fail(fmt::format("{}: expected {} numbers, found {}", what, expected, out.size()));
  }
  return out;
}

int line_of_value(const std::string& text, const std::string& value) {
  const auto at = text.find("\"" + value + "\"");
  return at == std::string::npos ? 0 : line_of_byte(text, at);
}

}  // namespace pf::crystal::detail
