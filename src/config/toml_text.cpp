// TOML text for decks: quoting, comments, value formatting and parsing, conversion to option
// types, and "did you mean" suggestions.
#include "config/detail/toml_text.hpp"

#include <fmt/format.h>
#include <toml.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace pf::detail {

// ---------------------------------------------------------------- text helpers

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (u < 0x20 || u == 0x7f) {
          out += fmt::format("\\u{:04X}", static_cast<unsigned>(u));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string one_line(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

std::string comment_block(const std::string& text, std::size_t width) {
  std::string out;
  std::istringstream paragraphs(text);
  std::string paragraph;
  while (std::getline(paragraphs, paragraph)) {
    std::istringstream words(paragraph);
    std::string word, line;
    while (words >> word) {
      if (!line.empty() && line.size() + 1 + word.size() > width) {
        out += "# " + line + "\n";
        line.clear();
      }
      line += (line.empty() ? "" : " ") + word;
    }
    out += line.empty() ? "#\n" : "# " + line + "\n";
  }
  return out;
}

std::string leaf(const std::string& key) {
  const auto dot = key.rfind('.');
  return dot == std::string::npos ? key : key.substr(dot + 1);
}

std::string table_of(const std::string& key) {
  const auto dot = key.rfind('.');
  return dot == std::string::npos ? "" : key.substr(0, dot);
}

namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The closest candidate, if close enough to be a plausible typo. Comparing leaves as well finds
// an option put in the wrong table ("lr" for "optim.lr").
std::string closest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    std::size_t d = edit_distance(word, candidate);
    if (leaf(word) == leaf(candidate)) d = std::min<std::size_t>(d, 1);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

}  // namespace

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string best = closest(word, candidates);
  return best.empty() ? "" : " (did you mean " + quote(best) + "?)";
}

bool valid_key(const std::string& key) {
  if (key.empty() || key.front() == '.' || key.back() == '.') return false;
  for (std::size_t i = 0; i < key.size(); ++i) {
    const char c = key[i];
    const bool bare = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    if (c == '.' ? key[i + 1] == '.' : !bare) return false;
  }
  return true;
}

bool in_table(const std::string& key, const std::string& table) {
  return key.size() > table.size() && key.compare(0, table.size(), table) == 0 &&
         key[table.size()] == '.';
}

// ---------------------------------------------------------------- TOML values

namespace {

std::string format_float(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  std::string s = fmt::format("{}", x);  // shortest text that reads back to the same double
  // TOML would read "1" back as an integer.
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

std::string shorten(std::string s, std::size_t max = 60) {
  if (s.size() > max) s = s.substr(0, max - 3) + "...";
  return s;
}

}  // namespace

std::string format_value(const Deck::Value& value) {
  struct Visitor {
    std::string operator()(std::int64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const { return format_float(v); }
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(const std::string& v) const { return quote(v); }
    std::string operator()(const std::vector<double>& v) const {
      std::vector<std::string> items;
      for (const double x : v)
        items.push_back(format_float(x));
      return "[" + fmt::format("{}", fmt::join(items, ", ")) + "]";
    }
    std::string operator()(const std::vector<std::int64_t>& v) const {
      return "[" + fmt::format("{}", fmt::join(v, ", ")) + "]";
    }
  };
  return std::visit(Visitor{}, value);
}

std::string describe_found(const toml::value& v) {
  switch (v.type()) {
    case toml::value_t::integer:
      return "an integer " + std::to_string(v.as_integer());
    case toml::value_t::floating:
      return "a float " + format_float(v.as_floating());
    case toml::value_t::boolean:
      return std::string("a boolean ") + (v.as_boolean() ? "true" : "false");
    case toml::value_t::string:
      return "a string " + shorten(quote(v.as_string().str));
    case toml::value_t::array:
      return "an array " + shorten(one_line(toml::format(v, 1000)));
    case toml::value_t::table:
      return "a table";
    case toml::value_t::offset_datetime:
    case toml::value_t::local_datetime:
      return "a date-time " + one_line(toml::format(v, 1000));
    case toml::value_t::local_date:
      return "a date " + one_line(toml::format(v, 1000));
    case toml::value_t::local_time:
      return "a time " + one_line(toml::format(v, 1000));
    default:
      return "an empty value";
  }
}

std::string type_name(OptionType type) {
  switch (type) {
    case OptionType::Int:
      return "integer";
    case OptionType::Float:
      return "float";
    case OptionType::Bool:
      return "boolean";
    case OptionType::String:
      return "string";
    case OptionType::FloatList:
      return "list of floats";
    case OptionType::IntList:
      return "list of integers";
  }
  return "?";
}

std::string describe_expected(const OptionSpec& spec) {
  if (spec.type == OptionType::String && !spec.choices.empty()) {
    std::vector<std::string> quoted;
    for (const auto& c : spec.choices)
      quoted.push_back(quote(c));
    return "one of " + fmt::format("{}", fmt::join(quoted, ", "));
  }
  return describe(spec.type);
}

Converted convert(const toml::value& v, const OptionSpec& spec) {
  const auto mismatch = [&](const std::string& found) {
    return Converted{{}, "expected " + describe_expected(spec) + ", found " + found};
  };
  switch (spec.type) {
    case OptionType::Int:
      if (v.is_integer()) return {v.as_integer(), ""};
      break;
    case OptionType::Float:
      // An integer is a float that happened to be written without a decimal point.
      if (v.is_floating()) return {v.as_floating(), ""};
      if (v.is_integer()) return {static_cast<double>(v.as_integer()), ""};
      break;
    case OptionType::Bool:
      if (v.is_boolean()) return {v.as_boolean(), ""};
      break;
    case OptionType::String:
      if (v.is_string()) {
        const std::string s = v.as_string().str;
        if (!spec.choices.empty() &&
            std::find(spec.choices.begin(), spec.choices.end(), s) == spec.choices.end()) {
          return mismatch(quote(s) + did_you_mean(s, spec.choices));
        }
        return {s, ""};
      }
      break;
    case OptionType::FloatList:
    case OptionType::IntList: {
      if (!v.is_array()) break;
      const auto& items = v.as_array();
      std::vector<double> floats;
      std::vector<std::int64_t> ints;
      for (std::size_t i = 0; i < items.size(); ++i) {
        const auto& item = items[i];
        const bool ok =
            item.is_integer() || (spec.type == OptionType::FloatList && item.is_floating());
        if (!ok) {
          return mismatch(describe_found(v) + " whose element " + std::to_string(i) + " is " +
                          describe_found(item));
        }
        if (spec.type == OptionType::IntList) {
          ints.push_back(item.as_integer());
        } else {
          floats.push_back(item.is_integer() ? static_cast<double>(item.as_integer())
                                             : item.as_floating());
        }
      }
      if (spec.type == OptionType::IntList) return {ints, ""};
      return {floats, ""};
    }
  }
  return mismatch(describe_found(v));
}

toml::value parse_literal(const std::string& text, const std::string& origin) {
  std::istringstream in("value = " + text + "\n");
  const toml::value doc = toml::parse(in, origin);
  if (doc.as_table().size() != 1 || !doc.contains("value")) {
    throw std::invalid_argument("more than one value in " + quote(text));
  }
  return doc.at("value");
}

}  // namespace pf::detail
