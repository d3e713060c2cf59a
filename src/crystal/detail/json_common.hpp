// What the JSON structure readers share: parsing with line numbers, entry-scoped errors, and
// numbers from nested lists or ASE's {"__ndarray__": …} encoding.
#pragma once

#include "crystal/detail/source_text.hpp"
#include "crystal/read_options.hpp"
#include "crystal/structure.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace pf::crystal::detail {

using json = nlohmann::json;

// The document; a syntax error is "file:line: malformed JSON: …".
json parse_json_text(const std::string& text, const std::string& file);

int line_of_byte(const std::string& text, std::size_t byte);
// The line where `"key":` first appears (0 if nowhere): where an entry starts, for messages.
int line_of_key(const std::string& text, const std::string& key);
// The line where the string value `"value"` first appears (0 if nowhere).
int line_of_value(const std::string& text, const std::string& value);

struct EntryContext {
  const std::string& file;
  int line;
  std::string key;
  [[noreturn]] void fail(const std::string& problem) const {
    detail::fail(file, line, "entry " + key + ": " + problem);
  }
};

// Flat numbers of a nested list or an {"__ndarray__": [shape, dtype, values]} object, checked
// against the expected count (0: any).
std::vector<double> numbers(const json& value, std::size_t expected, const std::string& what,
                            const EntryContext& ctx);

// Every entry of an ASE database document (read_ase_json.cpp).
std::vector<Structure> ase_database(const json& root, const std::string& text,
                                    const std::string& source, const ReadOptions& options);

}  // namespace pf::crystal::detail
