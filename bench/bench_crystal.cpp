// Crystal data: Ewald energy per structure against the atom count, the synthetic ionic-crystal
// generator's throughput, and reading a CIF whose 192 symmetry operations must be expanded and
// deduplicated. items_per_second = structures per second.
#include "config/deck.hpp"
#include "crystal/ewald.hpp"
#include "crystal/lattice.hpp"
#include "crystal/read_cif.hpp"
#include "sim/crystals/crystals_deck.hpp"
#include "sim/crystals/ionic_crystals.hpp"

#include <benchmark/benchmark.h>

#include <string>

namespace pf::bench {
namespace {

// Rock salt, n×n×n conventional cells (8n³ ions), the Madelung test case.
void BM_ewald_rock_salt(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const double a = 5.64 * n;
  const crystal::Mat3 l = crystal::cell_from_parameters(a, a, a, 90, 90, 90);
  std::vector<crystal::Vec3> frac;
  std::vector<double> q;
  const double fcc[4][3] = {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}};
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      for (int k = 0; k < n; ++k)
        for (const auto& f : fcc) {
          frac.push_back({(i + f[0]) / n, (j + f[1]) / n, (k + f[2]) / n});
          q.push_back(1.0);
          frac.push_back({(i + f[0] + 0.5) / n, (j + f[1]) / n, (k + f[2]) / n});
          q.push_back(-1.0);
        }
  for (auto _ : state)
    benchmark::DoNotOptimize(crystal::ewald_energy(l, frac, q).energy);
  state.SetItemsProcessed(state.iterations());
  state.counters["atoms"] = static_cast<double>(frac.size());
}
BENCHMARK(BM_ewald_rock_salt)
    ->Name("crystal/ewald_rock_salt")
    ->Arg(1)
    ->Arg(2)
    ->Arg(3)
    ->Unit(benchmark::kMillisecond);

// The default deck of data/crystals_ewald.toml: composition, cell, placement and Ewald energy.
void BM_generate_ionic(benchmark::State& state) {
  const auto schema = sim::crystals_schema({"crystals"});
  const sim::IonicCrystalConfig config =
      sim::crystals_config(Deck::resolve_text(schema, "", "bench", {}));
  std::uint64_t index = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(sim::generate_ionic_crystal(config, index++));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_generate_ionic)->Name("crystal/generate_ionic")->Unit(benchmark::kMicrosecond);

// Rock salt in F m -3 m with all 192 operations written out (as tests/data/crystal/NaCl.cif):
// 48 signed axis permutations times the 4 centring translations.
std::string rock_salt_cif() {
  std::string text =
      "data_NaCl\n_cell_length_a 5.6402(3)\n_cell_length_b 5.6402(3)\n_cell_length_c 5.6402(3)\n"
      "_cell_angle_alpha 90\n_cell_angle_beta 90\n_cell_angle_gamma 90\n"
      "loop_\n_space_group_symop_operation_xyz\n";
  const int perms[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
  const char* shifts[4][3] = {
      {"", "", ""}, {"", "+1/2", "+1/2"}, {"+1/2", "", "+1/2"}, {"+1/2", "+1/2", ""}};
  for (const auto& shift : shifts)
    for (const auto& perm : perms)
      for (int signs = 0; signs < 8; ++signs) {
        std::string op = "'";
        for (int axis = 0; axis < 3; ++axis) {
          if (axis > 0) op += ",";
          if (signs & (1 << axis)) op += "-";
          op += static_cast<char>('x' + perm[axis]);
          op += shift[axis];
        }
        text += op + "'\n";
      }
  return text +
         "loop_\n_atom_site_label\n_atom_site_type_symbol\n_atom_site_fract_x\n"
         "_atom_site_fract_y\n_atom_site_fract_z\nNa1 Na1+ 0 0 0\nCl1 Cl1- 0.5 0.5 0.5\n";
}

void BM_read_cif_192_operations(benchmark::State& state) {
  const std::string text = rock_salt_cif();
  if (crystal::parse_cif(text, "NaCl.cif").at(0).frac.size() != 8) {
    state.SkipWithError("expected 8 atoms");
    return;
  }
  for (auto _ : state)
    benchmark::DoNotOptimize(crystal::parse_cif(text, "NaCl.cif"));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_read_cif_192_operations)
    ->Name("crystal/read_cif_NaCl_192ops")
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace pf::bench
