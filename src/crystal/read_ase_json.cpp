#include "crystal/read_ase_json.hpp"

#include "crystal/detail/finish.hpp"
#include "crystal/detail/json_common.hpp"
#include "crystal/detail/source_text.hpp"
#include "crystal/lattice.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>

namespace pf::crystal {
namespace {

using detail::EntryContext;
using detail::fail;
using detail::json;
using detail::line_of_key;
using detail::numbers;

Structure entry_structure(const json& entry, const EntryContext& ctx, const ReadOptions& options) {
  for (const char* key : {"cell", "numbers", "positions"}) {
    if (!entry.contains(key)) ctx.fail(std::string("no \"") + key + "\"");
  }
  Structure s;
  const json& cell = entry["cell"];
  const json& cell_array = cell.is_object() && cell.contains("array") ? cell["array"] : cell;
  const auto l = numbers(cell_array, 9, "cell", ctx);
  for (int i = 0; i < 9; ++i)
    s.lattice[i / 3][i % 3] = l[static_cast<std::size_t>(i)];
  const json* pbc = entry.contains("pbc")                      ? &entry["pbc"]
                    : cell.is_object() && cell.contains("pbc") ? &cell["pbc"]
                                                               : nullptr;
  if (pbc != nullptr) {
    const json& flags =
        pbc->is_object() && pbc->contains("__ndarray__") ? (*pbc)["__ndarray__"][2] : *pbc;
    bool periodic = flags.is_array() && flags.size() == 3;
    for (const auto& f : flags)
      periodic = periodic && f.is_boolean() && f.get<bool>();
    if (!periodic) ctx.fail("pbc is " + flags.dump() + ": only periodic crystals are read");
  }
  const auto z = numbers(entry["numbers"], 0, "numbers", ctx);
  const auto r = numbers(entry["positions"], 3 * z.size(), "positions", ctx);
  detail::check_cell(s.lattice, ctx.file, ctx.line);
  const Mat3 inv = inverse(s.lattice);
  for (std::size_t a = 0; a < z.size(); ++a) {
    const int number = static_cast<int>(z[a]);
    if (number != z[a] || number < 1 || number > 118) {
      ctx.fail(fmt::format("numbers[{}] = {} is not an atomic number", a, z[a]));
    }
    s.species.push_back(number);
    s.frac.push_back(cart_to_frac({r[3 * a], r[3 * a + 1], r[3 * a + 2]}, inv));
  }
  if (entry.contains("key_value_pairs") && entry["key_value_pairs"].is_object()) {
    for (const auto& [key, value] : entry["key_value_pairs"].items()) {
      if (value.is_number()) s.properties[key] = value.get<double>();
    }
  }
  detail::finish_structure(s, ctx.file, {ctx.line, {}}, options);
  return s;
}

}  // namespace

std::vector<Structure> parse_ase_json(const std::string& text, const std::string& source,
                                      const ReadOptions& options) {
  return detail::ase_database(detail::parse_json_text(text, source), text, source, options);
}

namespace detail {

std::vector<Structure> ase_database(const json& root, const std::string& text,
                                    const std::string& source, const ReadOptions& options) {
  if (!root.is_object()) fail(source, 1, "expected a JSON object of entries keyed by id");
  std::vector<std::string> keys;
  if (root.contains("ids") && root["ids"].is_array()) {
    for (const auto& id : root["ids"]) {
      keys.push_back(id.is_string() ? id.get<std::string>() : id.dump());
    }
  } else {
    for (const auto& [key, value] : root.items()) {
      if (value.is_object()) keys.push_back(key);
    }
    // Numeric ids in numeric order ("2" before "10"); others after, as they sort.
    std::stable_sort(keys.begin(), keys.end(), [](const std::string& a, const std::string& b) {
      const bool na = !a.empty() && a.find_first_not_of("0123456789") == std::string::npos;
      const bool nb = !b.empty() && b.find_first_not_of("0123456789") == std::string::npos;
      if (na != nb) return na;
      if (na && a.size() != b.size()) return a.size() < b.size();
      return a < b;
    });
  }
  const std::string name = detail::file_name(source);
  std::vector<Structure> out;
  for (const auto& key : keys) {
    const EntryContext ctx{source, line_of_key(text, key), key};
    if (!root.contains(key) || !root[key].is_object()) ctx.fail("listed in \"ids\" but missing");
    Structure s = entry_structure(root[key], ctx, options);
    s.id = name + ":" + key;
    out.push_back(std::move(s));
  }
  if (out.empty()) fail(source, 1, "no entries");
  return out;
}

}  // namespace detail

std::vector<Structure> read_ase_json(const std::string& path, const ReadOptions& options) {
  return parse_ase_json(detail::read_text_file(path), path, options);
}

}  // namespace pf::crystal
