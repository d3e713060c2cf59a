#include "crystal/structure.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

namespace pf::crystal {
namespace {

// Index = Z; index 0 is a placeholder so symbols line up with atomic numbers.
constexpr std::array<std::string_view, 119> kSymbols = {
    "",   "H",  "He", "Li", "Be", "B",  "C",  "N",  "O",  "F",  "Ne", "Na", "Mg", "Al", "Si",
    "P",  "S",  "Cl", "Ar", "K",  "Ca", "Sc", "Ti", "V",  "Cr", "Mn", "Fe", "Co", "Ni", "Cu",
    "Zn", "Ga", "Ge", "As", "Se", "Br", "Kr", "Rb", "Sr", "Y",  "Zr", "Nb", "Mo", "Tc", "Ru",
    "Rh", "Pd", "Ag", "Cd", "In", "Sn", "Sb", "Te", "I",  "Xe", "Cs", "Ba", "La", "Ce", "Pr",
    "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Hf", "Ta", "W",
    "Re", "Os", "Ir", "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po", "At", "Rn", "Fr", "Ra", "Ac",
    "Th", "Pa", "U",  "Np", "Pu", "Am", "Cm", "Bk", "Cf", "Es", "Fm", "Md", "No", "Lr", "Rf",
    "Db", "Sg", "Bh", "Hs", "Mt", "Ds", "Rg", "Cn", "Nh", "Fl", "Mc", "Lv", "Ts", "Og"};

int find_symbol(std::string_view symbol) {
  for (std::size_t z = 1; z < kSymbols.size(); ++z) {
    if (kSymbols[z] == symbol) return static_cast<int>(z);
  }
  return 0;
}

}  // namespace

bool is_element_symbol(std::string_view symbol) {
  return find_symbol(symbol) > 0;
}

int atomic_number(std::string_view symbol) {
  if (const int z = find_symbol(symbol); z > 0) return z;
  throw InputError(
      fmt::format("unknown element: expected a chemical symbol (H..Og), found '{}'", symbol));
}

std::string_view element_symbol(int z) {
  if (z < 1 || z >= static_cast<int>(kSymbols.size())) {
    throw InputError(
        fmt::format("unknown element: expected an atomic number in 1..118, found {}", z));
  }
  return kSymbols[static_cast<std::size_t>(z)];
}

}  // namespace pf::crystal
