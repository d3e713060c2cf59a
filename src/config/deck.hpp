// Typed TOML input decks: every option is declared once with a type, a default and a doc string,
// so a deck is checked completely before a job spends hours of allocation on it.
//
// Precedence when resolving: override ("--set key=value") > deck file > declared default.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace pf {

enum class OptionType { Int, Float, Bool, String, FloatList, IntList };

// "an integer", "a float", ... as used in error messages.
std::string describe(OptionType type);

struct OptionSpec {
  std::string key;  // dotted: "optim.lr" lives in table [optim]
  OptionType type;
  std::string default_value;  // TOML literal text: "1e-3", "\"adamw\"", "[1, 2]"
  std::string doc;
  std::vector<std::string> choices = {};  // allowed values of a String option, if restricted
};

// The declaration of every option a program accepts. Mistakes in the declaration (bad key,
// default of the wrong type, duplicate) are programming errors: std::logic_error.
class DeckSchema {
 public:
  DeckSchema(std::string name, std::string doc);

  DeckSchema& add(OptionSpec spec);

  const std::string& name() const { return name_; }
  const std::string& doc() const { return doc_; }
  const std::vector<OptionSpec>& options() const { return options_; }
  // nullptr when the key is not declared.
  const OptionSpec* find(const std::string& key) const;

  // A complete TOML file with every option, its default and its doc as comments, grouped by
  // table: what `--print-deck` shows and a starting point for a user's own deck.
  std::string documented_defaults() const;

 private:
  std::string name_;
  std::string doc_;
  std::vector<OptionSpec> options_;
  std::map<std::string, std::size_t> index_;
};

// A resolved deck: a value for every declared option, already checked against its type.
class Deck {
 public:
  using Value = std::variant<std::int64_t, double, bool, std::string, std::vector<double>,
                             std::vector<std::int64_t>>;

  // toml_path may be empty (defaults only); overrides are "key=value" with a TOML value, or bare
  // text for String options. Throws pf::InputError naming the file or override, the key, what
  // was expected and what was found.
  static Deck resolve(const DeckSchema& schema, const std::string& toml_path,
                      const std::vector<std::string>& overrides);
  // The same from TOML text, e.g. the deck stored in a checkpoint; `source` names it in messages.
  static Deck resolve_text(const DeckSchema& schema, const std::string& toml_text,
                           const std::string& source, const std::vector<std::string>& overrides);

  // Asking for an undeclared key, or with the getter of another type, is a programming error:
  // std::logic_error.
  std::int64_t get_int(const std::string& key) const;
  double get_float(const std::string& key) const;
  bool get_bool(const std::string& key) const;
  std::string get_string(const std::string& key) const;
  std::vector<double> get_float_list(const std::string& key) const;
  std::vector<std::int64_t> get_int_list(const std::string& key) const;

  bool has(const std::string& key) const { return schema_.find(key) != nullptr; }

  // The resolved deck (every option) as TOML, to log and to store in outputs; values that do not
  // come from the defaults carry a comment saying where they were set.
  std::string to_toml() const;

  // The deck file's path, or "<defaults>" when none was given.
  const std::string& source() const { return source_; }
  const std::vector<std::string>& overrides() const { return overrides_; }
  const DeckSchema& schema() const { return schema_; }

 private:
  Deck(DeckSchema schema, std::string source, std::vector<std::string> overrides);
  const Value& value_of(const std::string& key, OptionType wanted, const char* getter) const;

  DeckSchema schema_;
  std::string source_;
  std::vector<std::string> overrides_;
  std::vector<Value> values_;        // parallel to schema_.options()
  std::vector<std::string> origin_;  // "" (default), "file" or the override text
};

}  // namespace pf
