#include "crystal/read_json.hpp"

#include "crystal/detail/finish.hpp"
#include "crystal/detail/json_common.hpp"
#include "crystal/lattice.hpp"

#include <fmt/format.h>

namespace pf::crystal {
namespace {

using detail::EntryContext;
using detail::json;

constexpr double kFullOccupancy = 0.01;  // as in the CIF reader

bool is_jarvis(const json& v) {
  return v.is_object() && v.contains("lattice_mat");
}
bool is_pymatgen(const json& v) {
  return v.is_object() && v.contains("sites") && v.contains("lattice");
}

Structure jarvis_structure(const json& atoms, const EntryContext& ctx) {
  for (const char* key : {"coords", "elements"}) {
    if (!atoms.contains(key)) ctx.fail(std::string("JARVIS atoms without \"") + key + "\"");
  }
  Structure s;
  const auto l = detail::numbers(atoms["lattice_mat"], 9, "lattice_mat", ctx);
  for (int i = 0; i < 9; ++i)
    s.lattice[i / 3][i % 3] = l[static_cast<std::size_t>(i)];
  detail::check_cell(s.lattice, ctx.file, ctx.line);
  const json& elements = atoms["elements"];
  if (!elements.is_array()) ctx.fail("elements: expected a list of symbols");
  const auto coords = detail::numbers(atoms["coords"], 3 * elements.size(), "coords", ctx);
  const bool cartesian = atoms.contains("cartesian") && atoms["cartesian"].is_boolean() &&
                         atoms["cartesian"].get<bool>();
  const Mat3 inv = inverse(s.lattice);
  for (std::size_t a = 0; a < elements.size(); ++a) {
    const std::string symbol = elements[a].is_string() ? elements[a].get<std::string>() : "";
    if (!is_element_symbol(symbol)) ctx.fail("unknown element '" + elements[a].dump() + "'");
    s.species.push_back(atomic_number(symbol));
    const Vec3 p{coords[3 * a], coords[3 * a + 1], coords[3 * a + 2]};
    s.frac.push_back(cartesian ? cart_to_frac(p, inv) : p);
  }
  return s;
}

Structure pymatgen_structure(const json& st, const EntryContext& ctx, const ReadOptions& options) {
  const json& lattice = st["lattice"];
  if (!lattice.is_object() || !lattice.contains("matrix")) ctx.fail("lattice without \"matrix\"");
  Structure s;
  const auto l = detail::numbers(lattice["matrix"], 9, "lattice.matrix", ctx);
  for (int i = 0; i < 9; ++i)
    s.lattice[i / 3][i % 3] = l[static_cast<std::size_t>(i)];
  detail::check_cell(s.lattice, ctx.file, ctx.line);
  const Mat3 inv = inverse(s.lattice);
  const json& sites = st["sites"];
  if (!sites.is_array()) ctx.fail("sites: expected a list");
  for (std::size_t k = 0; k < sites.size(); ++k) {
    const json& site = sites[k];
    const std::string where = fmt::format("sites[{}]", k);
    if (!site.is_object() || !site.contains("species") || !site["species"].is_array() ||
        site["species"].empty()) {
      ctx.fail(where + ": expected {species: [{element, occu}], abc}");
    }
    // The species with the largest occupancy; ties keep the first listed.
    int z = 0;
    double best = -1.0, total = 0.0;
    for (const auto& sp : site["species"]) {
      const std::string element = sp.contains("element") && sp["element"].is_string()
                                      ? sp["element"].get<std::string>()
                                      : "";
      const std::string symbol = detail::leading_element(element);
      if (symbol.empty() || !is_element_symbol(symbol)) {
        ctx.fail(where + ": unknown element '" + element + "'");
      }
      const double occu =
          sp.contains("occu") && sp["occu"].is_number() ? sp["occu"].get<double>() : 1.0;
      total += occu;
      if (occu > best) {
        best = occu;
        z = atomic_number(symbol);
      }
    }
    const bool partial = site["species"].size() > 1 || best < 1.0 - kFullOccupancy;
    if (partial && options.occupancy == OccupancyPolicy::Error) {
      ctx.fail(where + " is disordered (" + site["species"].dump() +
               "); partial occupancy is refused unless the majority policy is chosen "
               "(import-structures --occupancy majority)");
    }
    if (total < 0.5) continue;  // mostly vacant under the majority policy
    Vec3 f{};
    if (site.contains("abc")) {
      const auto abc = detail::numbers(site["abc"], 3, where + ".abc", ctx);
      f = {abc[0], abc[1], abc[2]};
    } else if (site.contains("xyz")) {
      const auto xyz = detail::numbers(site["xyz"], 3, where + ".xyz", ctx);
      f = cart_to_frac({xyz[0], xyz[1], xyz[2]}, inv);
    } else {
      ctx.fail(where + ": no abc or xyz coordinates");
    }
    s.species.push_back(z);
    s.frac.push_back(f);
    s.occupancy.push_back(best);
  }
  return s;
}

std::string record_id(const json& record, std::size_t index) {
  for (const char* key : {"jid", "material_id", "mpid", "task_id", "id"}) {
    if (!record.contains(key)) continue;
    const json& v = record[key];
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return v.dump();
  }
  return std::to_string(index);
}

}  // namespace

std::vector<Structure> parse_json(const std::string& text, const std::string& source,
                                  const ReadOptions& options) {
  const json root = detail::parse_json_text(text, source);
  const std::string name = detail::file_name(source);
  std::vector<Structure> out;
  if (is_jarvis(root) || is_pymatgen(root)) {
    const EntryContext ctx{source, 1, name};
    Structure s =
        is_jarvis(root) ? jarvis_structure(root, ctx) : pymatgen_structure(root, ctx, options);
    detail::finish_structure(s, source, {1, {}}, options);
    s.id = name;
    out.push_back(std::move(s));
    return out;
  }
  if (root.is_object()) return detail::ase_database(root, text, source, options);
  if (!root.is_array() || root.empty()) {
    detail::fail(source, 1,
                 "expected an ASE database, a JARVIS or pymatgen structure, or a list of records");
  }
  for (std::size_t k = 0; k < root.size(); ++k) {
    const json& record = root[k];
    const std::string id = record_id(record, k);
    const EntryContext ctx{source, detail::line_of_value(text, id), id};
    Structure s;
    if (is_jarvis(record)) {
      s = jarvis_structure(record, ctx);
    } else if (is_pymatgen(record)) {
      s = pymatgen_structure(record, ctx, options);
    } else if (record.is_object() && record.contains("atoms") && is_jarvis(record["atoms"])) {
      s = jarvis_structure(record["atoms"], ctx);
    } else if (record.is_object() && record.contains("structure") &&
               is_pymatgen(record["structure"])) {
      s = pymatgen_structure(record["structure"], ctx, options);
    } else {
      ctx.fail(
          "expected a JARVIS (\"atoms\": {lattice_mat, …}) or pymatgen (\"structure\": "
          "{lattice, sites}) record");
    }
    if (record.is_object()) {
      for (const auto& [key, value] : record.items()) {
        if (value.is_number() && !value.is_boolean()) s.properties[key] = value.get<double>();
      }
      for (const char* key : {"jid", "material_id", "mpid", "task_id", "id"})
        s.properties.erase(key);
    }
    detail::finish_structure(s, source, {ctx.line, {}}, options);
    s.id = name + ":" + id;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Structure> read_json(const std::string& path, const ReadOptions& options) {
  return parse_json(detail::read_text_file(path), path, options);
}

}  // namespace pf::crystal
