// TOML text helpers shared by the deck implementation files (not part of the public API):
// quoting and formatting values, parsing literals, converting to option types, suggestions.
#pragma once

#include "config/deck.hpp"

#include <toml.hpp>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace pf::detail {

std::string trim(const std::string& s);
std::string quote(const std::string& s);  // a TOML basic string, escapes included

// Comments end at a newline: user text put into one must not break the TOML around it.
std::string one_line(const std::string& s);

// "# "-prefixed lines of at most `width` columns; explicit newlines in `text` are kept.
std::string comment_block(const std::string& text, std::size_t width = 98);

std::string leaf(const std::string& key);      // "lr" of "optim.lr"
std::string table_of(const std::string& key);  // "optim" of "optim.lr", "" at top level

// " (did you mean \"optim.lr\"?)" when a candidate is close enough to be a plausible typo of
// `word`, else "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

bool valid_key(const std::string& key);

// True when `table` is a proper dotted prefix of `key`: "optim" of "optim.lr".
bool in_table(const std::string& key, const std::string& table);

std::string format_value(const Deck::Value& value);

// What a TOML value is, for "found ..." in messages: "a string \"abc\"".
std::string describe_found(const toml::value& v);

std::string type_name(OptionType type);  // "integer", "list of floats", ...
std::string describe_expected(const OptionSpec& spec);

// A TOML value converted to the option's type, or the reason it cannot be ("expected ..., found
// ...").
struct Converted {
  Deck::Value value;
  std::string problem;
};
Converted convert(const toml::value& v, const OptionSpec& spec);

// Parses one TOML value written as text ("1e-3", "[1, 2]"); throws toml::syntax_error, or
// std::invalid_argument when the text holds more than one value.
toml::value parse_literal(const std::string& text, const std::string& origin);

// Writes the options grouped by table, each as `write_option(index)` returns it.
std::string write_grouped(const DeckSchema& schema,
                          const std::function<std::string(std::size_t)>& write_option);

}  // namespace pf::detail
