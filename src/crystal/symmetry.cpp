#include "crystal/symmetry.hpp"

#include "core/error.hpp"
#include "crystal/lattice.hpp"

#include <fmt/format.h>

extern "C" {
#include <spglib.h>
}

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>
#include <utility>
#include <vector>

namespace pf::crystal {
namespace {

// spglib's cell: lattice vectors as columns, positions fractional, one integer type per atom.
struct SpgCell {
  double lattice[3][3];
  std::vector<std::array<double, 3>> positions;
  std::vector<int> types;
  std::vector<std::pair<int, double>> kinds;  // type index → (Z, occupancy)
};

SpgCell to_spglib(const Structure& s, std::size_t capacity_factor) {
  SpgCell cell{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      cell.lattice[j][i] = s.lattice[i][j];
  const std::size_t n = s.frac.size();
  cell.positions.resize(n * capacity_factor);
  cell.types.resize(n * capacity_factor);
  for (std::size_t a = 0; a < n; ++a) {
    const double occ = a < s.occupancy.size() ? s.occupancy[a] : 1.0;
    const std::pair<int, double> kind{s.species[a], occ};
    auto it = std::find(cell.kinds.begin(), cell.kinds.end(), kind);
    if (it == cell.kinds.end()) it = cell.kinds.insert(cell.kinds.end(), kind);
    cell.types[a] = static_cast<int>(it - cell.kinds.begin());
    cell.positions[a] = s.frac[a];
  }
  return cell;
}

[[noreturn]] void spglib_failed_database(const std::string& what, const std::string& group) {
  throw InputError(what + ": spglib has no operations for " + group);
}

[[noreturn]] void spglib_failed(const Structure& s, const char* what) {
  throw InputError(fmt::format("structure {}: spglib could not find its {}: {}", s.id, what,
                               spg_get_error_message(spg_get_error_code())));
}

Structure standardize(const Structure& s, bool to_primitive, double symprec) {
  // A conventional cell holds up to 4 times the atoms of the input (face-centred from primitive).
  SpgCell cell = to_spglib(s, 4);
  const int n = spg_standardize_cell(
      cell.lattice, reinterpret_cast<double(*)[3]>(cell.positions.data()), cell.types.data(),
      static_cast<int>(s.frac.size()), to_primitive ? 1 : 0, /*no_idealize=*/0, symprec);
  if (n <= 0) spglib_failed(s, to_primitive ? "primitive cell" : "conventional cell");
  Structure out;
  out.id = s.id;
  out.properties = s.properties;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      out.lattice[i][j] = cell.lattice[j][i];
  for (int a = 0; a < n; ++a) {
    const auto& kind = cell.kinds[static_cast<std::size_t>(cell.types[a])];
    out.species.push_back(kind.first);
    out.occupancy.push_back(kind.second);
    out.frac.push_back(wrap_frac(cell.positions[static_cast<std::size_t>(a)]));
  }
  return out;
}

// H-M symbols compared without spaces, underscores or case: "P 21/n" = "P2_1/n".
std::string compact(const std::string& symbol) {
  std::string out;
  for (char c : symbol) {
    if (c != ' ' && c != '_' && c != '\'' && c != '"') {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

// Hall symbols keep case (lattice letter vs translation letters) but not spacing.
std::string collapse_spaces(const std::string& symbol) {
  std::istringstream in(symbol);
  std::string word, out;
  while (in >> word)
    out += (out.empty() ? "" : " ") + word;
  return out;
}

// "P 1 2_1/n 1" → "P 2_1/n": the axes with no symmetry dropped, as abbreviated symbols write it.
std::string abbreviated(const std::string& full) {
  std::istringstream in(full);
  std::vector<std::string> words;
  std::string word;
  while (in >> word)
    words.push_back(word);
  if (words.size() != 4) return full;
  std::string out = words[0];
  int kept = 0;
  for (std::size_t k = 1; k < 4; ++k) {
    if (words[k] == "1") continue;
    out += " " + words[k];
    ++kept;
  }
  return kept == 1 ? out : full;
}

bool matches_hermann_mauguin(const SpglibSpacegroupType& t, const std::string& wanted) {
  std::vector<std::string> names = {t.international_short, t.international_full,
                                    abbreviated(t.international_full)};
  // `international` reads "P 2_1/c = P 1 2_1/n 1" for non-standard settings.
  std::string rest = t.international;
  for (auto at = rest.find(" = ");; at = rest.find(" = ")) {
    names.push_back(rest.substr(0, at));
    if (at == std::string::npos) break;
    rest = rest.substr(at + 3);
  }
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& n) { return compact(n) == wanted; });
}

bool rhombohedral_axes(const Mat3& lattice) {
  const auto p = cell_parameters(lattice);
  const auto near = [](double a, double b) { return std::abs(a - b) <= 1e-3 * std::max(a, b); };
  return near(p[0], p[1]) && near(p[1], p[2]) && near(p[3], p[4]) && near(p[4], p[5]);
}

}  // namespace

std::vector<SymmetryOperation> space_group_operations(const SpaceGroupName& name,
                                                      const Mat3& lattice,
                                                      const std::string& what) {
  std::string hm = name.hermann_mauguin;
  std::string setting = name.setting;
  if (const auto colon = hm.find(':'); colon != std::string::npos) {
    setting = hm.substr(colon + 1);
    hm = hm.substr(0, colon);
  }
  setting = compact(setting);
  const std::string hall = collapse_spaces(name.hall);
  const std::string wanted = compact(hm);
  const std::string described = !hall.empty() ? "Hall symbol '" + name.hall + "'"
                                : !hm.empty() ? "space group '" + name.hermann_mauguin + "'"
                                              : "space group number " + std::to_string(name.number);
  std::vector<std::pair<int, std::string>> candidates;  // hall number, setting choice
  for (int h = 1; h <= 530; ++h) {
    const SpglibSpacegroupType t = spg_get_spacegroup_type(h);
    const bool match = !hall.empty() ? collapse_spaces(t.hall_symbol) == hall
                       : !hm.empty() ? matches_hermann_mauguin(t, wanted)
                                     : t.number == name.number;
    if (match && (setting.empty() || !hall.empty() || compact(t.choice) == setting)) {
      candidates.emplace_back(h, t.choice);
    }
  }
  if (candidates.empty()) {
    throw InputError(what + ": " + described +
                     (setting.empty() ? "" : " in setting '" + setting + "'") +
                     " is not in spglib's tables; give the symmetry operations instead");
  }
  const auto has = [&](const char* choice) {
    return std::any_of(candidates.begin(), candidates.end(),
                       [&](const auto& c) { return c.second == choice; });
  };
  if (has("H") && has("R")) {
    const std::string keep = rhombohedral_axes(lattice) ? "R" : "H";
    candidates.erase(std::remove_if(candidates.begin(), candidates.end(),
                                    [&](const auto& c) { return c.second != keep; }),
                     candidates.end());
  }
  if (has("1") && has("2")) {
    throw InputError(what + ": " + described +
                     " has two origin choices; name one (e.g. 'F d -3 m :2', or "
                     "_space_group_IT_coordinate_system_code) or give the symmetry operations");
  }
  int rotations[192][3][3];
  double translations[192][3];
  const int count = spg_get_symmetry_from_database(rotations, translations, candidates[0].first);
  if (count <= 0) spglib_failed_database(what, described);
  std::vector<SymmetryOperation> ops(static_cast<std::size_t>(count));
  for (int k = 0; k < count; ++k) {
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 3; ++j)
        ops[k].rotation[i][j] = rotations[k][i][j];
      ops[k].translation[i] = translations[k][i];
    }
  }
  return ops;
}

SpaceGroup space_group(const Structure& s, double symprec) {
  SpgCell cell = to_spglib(s, 1);
  SpglibDataset* data =
      spg_get_dataset(cell.lattice, reinterpret_cast<double(*)[3]>(cell.positions.data()),
                      cell.types.data(), static_cast<int>(s.frac.size()), symprec);
  if (data == nullptr) spglib_failed(s, "space group");
  SpaceGroup group{data->spacegroup_number, data->hall_number, data->international_symbol,
                   data->hall_symbol};
  spg_free_dataset(data);
  return group;
}

Structure primitive_cell(const Structure& s, double symprec) {
  return standardize(s, true, symprec);
}

Structure conventional_cell(const Structure& s, double symprec) {
  return standardize(s, false, symprec);
}

}  // namespace pf::crystal
