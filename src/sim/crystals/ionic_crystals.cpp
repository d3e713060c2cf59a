#include "sim/crystals/ionic_crystals.hpp"

#include "core/error.hpp"
#include "core/rng.hpp"
#include "crystal/lattice.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace pf::sim {
namespace {

using crystal::Mat3;
using crystal::Vec3;

// Tries before a deck is called impossible. Each try is a few random draws: cheap.
constexpr int kCompositionTries = 100000;
constexpr int kCellTries = 200;
constexpr int kPlacementTries = 200;
// Cells flatter than this (volume / abc) are redrawn: angles near their bounds can combine into
// an almost coplanar cell.
constexpr double kMinVolumeFactor = 0.5;

struct Composition {
  std::vector<const Ion*> ions;  // one entry per atom
};

// Distinct species drawn without replacement, then counts until the charges cancel.
Composition draw_composition(const IonicCrystalConfig& c, Rng& rng) {
  const auto pick = [&](const std::vector<Ion>& pool, int max_species) {
    std::vector<const Ion*> all;
    for (const auto& ion : pool)
      all.push_back(&ion);
    rng.shuffle(all.begin(), all.end());
    const int limit = std::min<int>(max_species, static_cast<int>(all.size()));
    all.resize(static_cast<std::size_t>(1 + rng.below(static_cast<std::uint64_t>(limit))));
    return all;
  };
  for (int attempt = 0; attempt < kCompositionTries; ++attempt) {
    const auto cations = pick(c.cations, c.max_cation_species);
    const auto anions = pick(c.anions, c.max_anion_species);
    Composition out;
    int charge = 0;
    for (const auto* group : {&cations, &anions}) {
      for (const Ion* ion : *group) {
        const int count = 1 + static_cast<int>(rng.below(static_cast<std::uint64_t>(c.max_count)));
        charge += count * ion->charge;
        out.ions.insert(out.ions.end(), static_cast<std::size_t>(count), ion);
      }
    }
    const auto n = static_cast<int>(out.ions.size());
    if (charge == 0 && n >= c.min_atoms && n <= c.max_atoms) return out;
  }
  throw InputError(fmt::format(
      "crystals: no charge-neutral composition of {}..{} atoms found in {} draws; allow more "
      "atoms per species (composition.max_count) or per cell (composition.max_atoms)",
      c.min_atoms, c.max_atoms, kCompositionTries));
}

Mat3 draw_cell(const IonicCrystalConfig& c, int n_atoms, Rng& rng) {
  for (int attempt = 0; attempt < kCellTries; ++attempt) {
    const double alpha = rng.uniform(c.angle_min, c.angle_max);
    const double beta = rng.uniform(c.angle_min, c.angle_max);
    const double gamma = rng.uniform(c.angle_min, c.angle_max);
    const double a = rng.uniform(1.0, c.max_length_ratio);
    const double b = rng.uniform(1.0, c.max_length_ratio);
    const double cc = rng.uniform(1.0, c.max_length_ratio);
    const Mat3 unit = crystal::cell_from_parameters(a, b, cc, alpha, beta, gamma);
    const double factor = std::abs(crystal::determinant(unit)) / (a * b * cc);
    if (!(factor >= kMinVolumeFactor)) continue;
    const double volume = n_atoms * rng.uniform(c.volume_per_atom_min, c.volume_per_atom_max);
    const double scale = std::cbrt(volume / std::abs(crystal::determinant(unit)));
    Mat3 cell = unit;
    for (auto& row : cell)
      for (double& v : row)
        v *= scale;
    return cell;
  }
  throw InputError(
      "crystals: no cell with a volume factor ≥ 0.5 in 200 draws; narrow "
      "cell.angles towards 90°");
}

}  // namespace

Ion parse_ion(const std::string& text, const std::string& what) {
  const auto bad = [&] {
    throw InputError(what + ": expected an ion such as Na+, Mg2+ or O2-, found '" + text + "'");
  };
  std::size_t i = 0;
  if (text.empty() || !std::isupper(static_cast<unsigned char>(text[0]))) bad();
  i = text.size() > 1 && std::islower(static_cast<unsigned char>(text[1])) ? 2 : 1;
  const std::string symbol = text.substr(0, i);
  if (!crystal::is_element_symbol(symbol)) bad();
  int magnitude = 1;
  if (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    magnitude = text[i] - '0';
    ++i;
  }
  if (i + 1 != text.size() || (text[i] != '+' && text[i] != '-') || magnitude == 0) bad();
  return {text, crystal::atomic_number(symbol), text[i] == '+' ? magnitude : -magnitude};
}

IonicCrystal generate_ionic_crystal(const IonicCrystalConfig& c, std::uint64_t index) {
  Rng rng = Rng::derived(c.seed, index);
  const Composition composition = draw_composition(c, rng);
  const int n = static_cast<int>(composition.ions.size());
  IonicCrystal out;
  crystal::Structure& s = out.structure;
  for (int restart = 0; restart < kCellTries && s.frac.empty(); ++restart) {
    s.lattice = draw_cell(c, n, rng);
    if (crystal::shortest_lattice_vector(s.lattice, c.min_distance) < c.min_distance) continue;
    std::vector<Vec3> placed;
    for (int a = 0; a < n; ++a) {
      bool ok = false;
      for (int attempt = 0; attempt < kPlacementTries && !ok; ++attempt) {
        const Vec3 f{rng.uniform(), rng.uniform(), rng.uniform()};
        ok = std::all_of(placed.begin(), placed.end(), [&](const Vec3& p) {
          return crystal::periodic_distance(s.lattice, p, f, c.min_distance) >= c.min_distance;
        });
        if (ok) placed.push_back(f);
      }
      if (!ok) break;
    }
    if (static_cast<int>(placed.size()) == n) s.frac = placed;
  }
  if (s.frac.empty()) {
    throw InputError(fmt::format(
        "crystals: structure {}: {} atoms could not be placed {} Å apart in {} cells; lower "
        "cell.min_distance or raise cell.volume_per_atom",
        index, n, c.min_distance, kCellTries));
  }
  for (const Ion* ion : composition.ions) {
    s.species.push_back(ion->z);
    s.occupancy.push_back(1.0);
    out.charge.push_back(ion->charge);
  }
  const auto ewald = crystal::ewald_energy(s.lattice, s.frac, out.charge, c.ewald);
  for (double e : ewald.site_energy)
    out.site_energy.push_back(e * crystal::kCoulombEvAngstrom);
  s.id = fmt::format("ionic-{:06d}", index);
  s.properties["ewald_energy_per_atom"] = ewald.energy * crystal::kCoulombEvAngstrom / n;
  s.properties["volume_per_atom"] = std::abs(crystal::determinant(s.lattice)) / n;
  return out;
}

}  // namespace pf::sim
