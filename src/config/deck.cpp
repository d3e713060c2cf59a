// Deck schemas and their resolution from defaults, a TOML file and command-line overrides.
#include "config/deck.hpp"

#include "core/error.hpp"

#include <fmt/format.h>
#include <toml.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace pf {

namespace {

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

// Comments end at a newline: user text put into one must not break the TOML around it.
std::string one_line(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

// "# "-prefixed lines of at most `width` columns; explicit newlines in `text` are kept.
std::string comment_block(const std::string& text, std::size_t width = 98) {
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

std::string leaf(const std::string& key) {
  const auto dot = key.rfind('.');
  return dot == std::string::npos ? key : key.substr(dot + 1);
}

std::string table_of(const std::string& key) {
  const auto dot = key.rfind('.');
  return dot == std::string::npos ? "" : key.substr(0, dot);
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

// True when `table` is a proper dotted prefix of `key`: "optim" of "optim.lr".
bool in_table(const std::string& key, const std::string& table) {
  return key.size() > table.size() && key.compare(0, table.size(), table) == 0 &&
         key[table.size()] == '.';
}

// ---------------------------------------------------------------- TOML values

std::string format_float(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  std::string s = fmt::format("{}", x);  // shortest text that reads back to the same double
  // TOML would read "1" back as an integer.
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

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

std::string shorten(std::string s, std::size_t max = 60) {
  if (s.size() > max) s = s.substr(0, max - 3) + "...";
  return s;
}

// What a TOML value is, for "found ..." in messages: "a string \"abc\"".
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

// A TOML value converted to the option's type, or the reason it cannot be ("expected ..., found
// ...").
struct Converted {
  Deck::Value value;
  std::string problem;
};

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

// Parses one TOML value written as text ("1e-3", "[1, 2]"); throws toml::syntax_error, or
// std::invalid_argument when the text holds more than one value.
toml::value parse_literal(const std::string& text, const std::string& origin) {
  std::istringstream in("value = " + text + "\n");
  const toml::value doc = toml::parse(in, origin);
  if (doc.as_table().size() != 1 || !doc.contains("value")) {
    throw std::invalid_argument("more than one value in " + quote(text));
  }
  return doc.at("value");
}

std::string location_prefix(const std::string& path, const toml::value& v) {
  const auto line = v.location().line();
  return line > 0 ? path + ":" + std::to_string(line) + ": " : path + ": ";
}

OptionType type_of(const Deck::Value& v) {
  switch (v.index()) {
    case 0:
      return OptionType::Int;
    case 1:
      return OptionType::Float;
    case 2:
      return OptionType::Bool;
    case 3:
      return OptionType::String;
    case 4:
      return OptionType::FloatList;
    default:
      return OptionType::IntList;
  }
}

const char* getter_for(OptionType type) {
  switch (type) {
    case OptionType::Int:
      return "get_int";
    case OptionType::Float:
      return "get_float";
    case OptionType::Bool:
      return "get_bool";
    case OptionType::String:
      return "get_string";
    case OptionType::FloatList:
      return "get_float_list";
    case OptionType::IntList:
      return "get_int_list";
  }
  return "?";
}

std::vector<std::string> keys_of(const DeckSchema& schema) {
  std::vector<std::string> keys;
  for (const auto& o : schema.options())
    keys.push_back(o.key);
  return keys;
}

// Writes the options grouped by table. Tables are ordered depth-first by first declaration so
// a parent table comes before its children and every header appears once, which TOML requires.
std::string write_grouped(const DeckSchema& schema,
                          const std::function<std::string(std::size_t)>& write_option) {
  const auto& options = schema.options();
  const auto first_index_with_prefix = [&](const std::string& table) {
    for (std::size_t i = 0; i < options.size(); ++i) {
      if (options[i].key.compare(0, table.size(), table) == 0) return i;
    }
    return options.size();
  };
  std::vector<std::string> tables;
  for (const auto& o : options) {
    const std::string t = table_of(o.key);
    if (std::find(tables.begin(), tables.end(), t) == tables.end()) tables.push_back(t);
  }
  const auto order_key = [&](const std::string& table) {
    std::vector<std::size_t> path;
    if (table.empty()) return path;  // top-level keys must precede every header
    std::size_t dot = 0;
    do {
      dot = table.find('.', dot + 1);
      path.push_back(first_index_with_prefix(table.substr(0, dot) + "."));
    } while (dot != std::string::npos);
    return path;
  };
  std::stable_sort(tables.begin(), tables.end(),
                   [&](const auto& a, const auto& b) { return order_key(a) < order_key(b); });

  std::string out;
  for (const auto& table : tables) {
    if (!table.empty()) out += "\n[" + table + "]\n";
    for (std::size_t i = 0; i < options.size(); ++i) {
      if (table_of(options[i].key) == table) out += write_option(i);
    }
  }
  return out;
}

}  // namespace

std::string describe(OptionType type) {
  return (type == OptionType::Int ? "an " : "a ") + type_name(type);
}

// ---------------------------------------------------------------- DeckSchema

DeckSchema::DeckSchema(std::string name, std::string doc)
    : name_(std::move(name)), doc_(std::move(doc)) {}

DeckSchema& DeckSchema::add(OptionSpec spec) {
  const std::string where = "deck schema " + quote(name_) + ", option " + quote(spec.key) + ": ";
  if (!valid_key(spec.key)) {
    throw std::logic_error(where + "keys are dotted names of letters, digits, '_' and '-'");
  }
  if (index_.count(spec.key) != 0) throw std::logic_error(where + "declared twice");
  for (const auto& other : options_) {
    if (in_table(spec.key, other.key) || in_table(other.key, spec.key)) {
      throw std::logic_error(where + "conflicts with " + quote(other.key) +
                             ": a key cannot be both a value and a table");
    }
  }
  if (!spec.choices.empty() && spec.type != OptionType::String) {
    throw std::logic_error(where + "choices are only supported for string options");
  }
  Converted converted;
  try {
    converted = convert(parse_literal(spec.default_value, "default of " + spec.key), spec);
  } catch (const std::exception& e) {
    throw std::logic_error(where + "default " + quote(spec.default_value) +
                           " is not a TOML value: " + e.what());
  }
  if (!converted.problem.empty()) {
    throw std::logic_error(where + "default " + spec.default_value + ": " + converted.problem);
  }
  index_.emplace(spec.key, options_.size());
  options_.push_back(std::move(spec));
  return *this;
}

const OptionSpec* DeckSchema::find(const std::string& key) const {
  const auto it = index_.find(key);
  return it == index_.end() ? nullptr : &options_[it->second];
}

std::string DeckSchema::documented_defaults() const {
  std::string out = comment_block(name_ + ": " + doc_);
  out += "#\n";
  out += comment_block(
      "Every option with its default value. A deck file needs only the options it changes; "
      "values given on the command line (key=value) take precedence over the file.");
  out += write_grouped(*this, [&](std::size_t i) {
    const OptionSpec& o = options_[i];
    std::string block = "\n" + comment_block(o.doc);
    block += "# type: " + type_name(o.type);
    block += o.choices.empty() ? "\n" : "; " + describe_expected(o) + "\n";
    block += leaf(o.key) + " = " + trim(o.default_value) + "\n";
    return block;
  });
  return out;
}

// ---------------------------------------------------------------- Deck

Deck::Deck(DeckSchema schema, std::string source, std::vector<std::string> overrides)
    : schema_(std::move(schema)), source_(std::move(source)), overrides_(std::move(overrides)) {}

Deck Deck::resolve(const DeckSchema& schema, const std::string& toml_path,
                   const std::vector<std::string>& overrides) {
  Deck deck(schema, toml_path.empty() ? "<defaults>" : toml_path, overrides);
  const auto& options = schema.options();
  for (const auto& o : options) {
    // Checked when declared, so conversion cannot fail here.
    deck.values_.push_back(convert(parse_literal(o.default_value, o.key), o).value);
    deck.origin_.emplace_back();
  }
  const std::vector<std::string> known = keys_of(schema);
  const auto set = [&](const std::string& key, Value value, std::string origin) {
    const auto index = static_cast<std::size_t>(schema.find(key) - options.data());
    deck.values_[index] = std::move(value);
    deck.origin_[index] = std::move(origin);
  };

  if (!toml_path.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(toml_path, ec)) {
      throw InputError("deck file " + quote(toml_path) + ": not found (or not a regular file)");
    }
    toml::value doc;
    try {
      doc = toml::parse(toml_path);
    } catch (const toml::exception& e) {
      throw InputError("deck file " + quote(toml_path) + ": malformed TOML: " + e.what());
    } catch (const std::exception& e) {
      throw InputError("deck file " + quote(toml_path) + ": cannot be read: " + e.what());
    }
    // Walks the tables; keys sorted so the first error reported does not depend on hashing.
    std::function<void(const toml::value&, const std::string&)> walk =
        [&](const toml::value& table, const std::string& prefix) {
          std::vector<std::string> names;
          for (const auto& kv : table.as_table())
            names.push_back(kv.first);
          std::sort(names.begin(), names.end());
          for (const auto& name : names) {
            const toml::value& v = table.at(name);
            const std::string key = prefix.empty() ? name : prefix + "." + name;
            const auto has_children = std::any_of(known.begin(), known.end(),
                                                  [&](const auto& k) { return in_table(k, key); });
            if (const OptionSpec* spec = schema.find(key)) {
              Converted c = convert(v, *spec);
              if (!c.problem.empty()) {
                throw InputError(location_prefix(toml_path, v) + "option " + quote(key) + ": " +
                                 c.problem);
              }
              set(key, std::move(c.value), "file");
            } else if (has_children && v.is_table()) {
              walk(v, key);
            } else if (has_children) {
              throw InputError(location_prefix(toml_path, v) + "option table [" + key +
                               "]: expected a table, found " + describe_found(v));
            } else {
              throw InputError(location_prefix(toml_path, v) + "unknown option " + quote(key) +
                               did_you_mean(key, known));
            }
          }
        };
    walk(doc, "");
  }

  for (const auto& text : overrides) {
    const std::string where = "override " + quote(text) + ": ";
    const auto eq = text.find('=');
    const std::string key = eq == std::string::npos ? "" : trim(text.substr(0, eq));
    if (key.empty()) {
      throw InputError(where + "malformed: expected key=value (e.g. optim.lr=3e-4)");
    }
    const OptionSpec* spec = schema.find(key);
    if (spec == nullptr) {
      throw InputError(where + "unknown option " + quote(key) + did_you_mean(key, known));
    }
    const std::string raw = trim(text.substr(eq + 1));
    const std::string what = where + "option " + quote(key) + ": ";
    toml::value v;
    try {
      v = parse_literal(raw, "override");
    } catch (const std::exception&) {
      // Bare words are strings: "--set optim.name=adamw". Quoted text must be valid TOML.
      const bool quoted = !raw.empty() && (raw.front() == '"' || raw.front() == '\'');
      if (spec->type == OptionType::String && !quoted) {
        v = toml::value(raw);
      } else {
        throw InputError(
            what + "expected " + describe_expected(*spec) + ", found " +
            (raw.empty() ? std::string("nothing") : raw + " (not a valid TOML value)"));
      }
    }
    // "--set run.name=2024" means the text, not the number.
    if (spec->type == OptionType::String && !v.is_string()) v = toml::value(raw);
    Converted c = convert(v, *spec);
    if (!c.problem.empty()) throw InputError(what + c.problem);
    set(key, std::move(c.value), text);
  }
  return deck;
}

const Deck::Value& Deck::value_of(const std::string& key, OptionType wanted,
                                  const char* getter) const {
  const OptionSpec* spec = schema_.find(key);
  const std::string where = std::string("Deck::") + getter + "(" + quote(key) + "): ";
  if (spec == nullptr) {
    throw std::logic_error(where + "no such option in deck schema " + quote(schema_.name()) +
                           did_you_mean(key, keys_of(schema_)));
  }
  if (spec->type != wanted) {
    throw std::logic_error(where + "the option is declared as " + describe(spec->type) + "; use " +
                           getter_for(spec->type));
  }
  const Value& v = values_[static_cast<std::size_t>(spec - schema_.options().data())];
  if (type_of(v) != wanted) throw std::logic_error(where + "stored value has the wrong type");
  return v;
}

std::int64_t Deck::get_int(const std::string& key) const {
  return std::get<std::int64_t>(value_of(key, OptionType::Int, "get_int"));
}
double Deck::get_float(const std::string& key) const {
  return std::get<double>(value_of(key, OptionType::Float, "get_float"));
}
bool Deck::get_bool(const std::string& key) const {
  return std::get<bool>(value_of(key, OptionType::Bool, "get_bool"));
}
std::string Deck::get_string(const std::string& key) const {
  return std::get<std::string>(value_of(key, OptionType::String, "get_string"));
}
std::vector<double> Deck::get_float_list(const std::string& key) const {
  return std::get<std::vector<double>>(value_of(key, OptionType::FloatList, "get_float_list"));
}
std::vector<std::int64_t> Deck::get_int_list(const std::string& key) const {
  return std::get<std::vector<std::int64_t>>(value_of(key, OptionType::IntList, "get_int_list"));
}

std::string Deck::to_toml() const {
  std::string out =
      "# deck " + quote(schema_.name()) + " resolved from " + one_line(source_) + "\n";
  for (const auto& o : overrides_)
    out += "# override: " + one_line(o) + "\n";
  out += write_grouped(schema_, [&](std::size_t i) {
    std::string line = leaf(schema_.options()[i].key) + " = " + format_value(values_[i]);
    if (origin_[i] == "file") {
      line += "  # from " + one_line(source_);
    } else if (!origin_[i].empty()) {
      line += "  # from override " + one_line(origin_[i]);
    }
    return line + "\n";
  });
  return out;
}

}  // namespace pf
