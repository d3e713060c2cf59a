// Deck resolution from defaults, a TOML file and command-line overrides; typed getters; the
// resolved deck written back as TOML.
#include "config/deck.hpp"

#include "config/detail/toml_text.hpp"
#include "core/error.hpp"

#include <toml.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace pf {

using detail::convert;
using detail::Converted;
using detail::describe_expected;
using detail::describe_found;
using detail::did_you_mean;
using detail::format_value;
using detail::in_table;
using detail::leaf;
using detail::one_line;
using detail::parse_literal;
using detail::quote;
using detail::trim;
using detail::write_grouped;

namespace {

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

}  // namespace

Deck Deck::resolve(const DeckSchema& schema, const std::string& toml_path,
                   const std::vector<std::string>& overrides) {
  if (toml_path.empty()) return resolve_text(schema, "", "<defaults>", overrides);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(toml_path, ec)) {
    throw InputError("deck file " + quote(toml_path) + ": not found (or not a regular file)");
  }
  std::ifstream in(toml_path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw InputError("deck file " + quote(toml_path) + ": cannot be read");
  return resolve_text(schema, text.str(), toml_path, overrides);
}

Deck Deck::resolve_text(const DeckSchema& schema, const std::string& toml_text,
                        const std::string& source, const std::vector<std::string>& overrides) {
  const std::string& toml_path = source;  // names the deck in every message
  Deck deck(schema, source, overrides);
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

  if (!toml_text.empty()) {
    toml::value doc;
    try {
      std::istringstream stream(toml_text);
      doc = toml::parse(stream, toml_path);
    } catch (const toml::exception& e) {
      throw InputError("deck " + quote(toml_path) + ": malformed TOML: " + e.what());
    } catch (const std::exception& e) {
      throw InputError("deck " + quote(toml_path) + ": cannot be read: " + e.what());
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
