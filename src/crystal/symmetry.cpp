#include "crystal/symmetry.hpp"

#include "core/error.hpp"
#include "crystal/lattice.hpp"

#include <fmt/format.h>

extern "C" {
#include <spglib.h>
}

#include <algorithm>
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

}  // namespace

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
