#include "crystal/detail/finish.hpp"

#include "crystal/detail/source_text.hpp"
#include "crystal/lattice.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>

namespace pf::crystal::detail {
namespace {

// A cell whose volume is below this fraction of a·b·c is flat to rounding: its inverse would
// turn Cartesian input into meaningless fractions.
constexpr double kSingularRatio = 1e-8;

}  // namespace

void check_cell(const Mat3& lattice, const std::string& file, int line) {
  for (const auto& row : lattice) {
    for (double v : row) {
      if (!std::isfinite(v)) fail(file, line, "the cell holds a non-finite number");
    }
  }
  const auto par = cell_parameters(lattice);
  const double volume = std::abs(determinant(lattice));
  if (!(par[0] > 0.0 && par[1] > 0.0 && par[2] > 0.0) ||
      volume < kSingularRatio * par[0] * par[1] * par[2]) {
    fail(file, line,
         fmt::format("singular cell: volume {:.6g} Å³ for vector lengths {:.6g}, {:.6g}, {:.6g} Å",
                     volume, par[0], par[1], par[2]));
  }
}

void finish_structure(Structure& s, const std::string& file, const SourceLines& lines,
                      const ReadOptions& options) {
  const std::size_t n = s.frac.size();
  if (s.species.size() != n) {
    fail(file, lines.cell, fmt::format("{} species for {} atom positions", s.species.size(), n));
  }
  if (s.occupancy.empty()) s.occupancy.assign(n, 1.0);
  if (s.occupancy.size() != n) {
    fail(file, lines.cell, fmt::format("{} occupancies for {} atoms", s.occupancy.size(), n));
  }
  if (n == 0) fail(file, lines.cell, "the structure has no atoms");
  check_cell(s.lattice, file, lines.cell);
  for (auto& f : s.frac)
    f = wrap_frac(f);

  const auto line_of = [&](std::size_t i) { return i < lines.atoms.size() ? lines.atoms[i] : 0; };
  const double self = shortest_lattice_vector(s.lattice, options.min_distance);
  if (self < options.min_distance) {
    fail(file, lines.cell,
         fmt::format("the cell is too small: a lattice vector of {:.4g} Å puts every atom "
                     "within {} Å of its own image",
                     self, options.min_distance));
  }
  const ClosePair pair = first_close_pair(s.lattice, s.frac, options.min_distance);
  if (pair.j >= 0) {
    const auto i = static_cast<std::size_t>(pair.i), j = static_cast<std::size_t>(pair.j);
    fail(file, line_of(j),
         fmt::format("overlapping atoms: atom {} ({}) and atom {} ({}{}) are {:.4g} Å "
                     "apart over periodic images; the minimum is {} Å",
                     j + 1, element_symbol(s.species[j]), i + 1, element_symbol(s.species[i]),
                     line_of(i) > 0 ? fmt::format(", line {}", line_of(i)) : "", pair.distance,
                     options.min_distance));
  }
}

std::string file_name(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

}  // namespace pf::crystal::detail
