// Deck schemas: declaring options (checked as they are declared) and the documented defaults.
#include "config/deck.hpp"

#include "config/detail/toml_text.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace pf {

namespace detail {

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

}  // namespace detail

using detail::comment_block;
using detail::convert;
using detail::Converted;
using detail::describe_expected;
using detail::in_table;
using detail::leaf;
using detail::parse_literal;
using detail::quote;
using detail::trim;
using detail::type_name;
using detail::valid_key;
using detail::write_grouped;

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

}  // namespace pf
