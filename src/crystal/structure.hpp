// A periodic crystal structure as every reader produces it and every consumer (graphs, datasets,
// VTK) takes it: plain data, no invariants enforced beyond what the readers check.
#pragma once

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace pf::crystal {

struct Structure {
  std::string id;                                  // file name or database id
  std::array<std::array<double, 3>, 3> lattice{};  // rows = lattice vectors a, b, c in Å
  std::vector<int> species;                        // atomic numbers Z
  std::vector<std::array<double, 3>> frac;         // fractional coordinates, wrapped to [0,1)
  std::vector<double> occupancy;                   // 1.0 unless the file says otherwise
  std::map<std::string, double> properties;        // per-structure targets read from the file
};

// Symbols are matched case-sensitively after the first letter ("Fe", not "FE"), as the file
// formats write them. InputError on unknown elements.
int atomic_number(std::string_view symbol);
bool is_element_symbol(std::string_view symbol);
// Z in 1..118; InputError otherwise.
std::string_view element_symbol(int z);

}  // namespace pf::crystal
