// Helpers shared by the crystal tests: test-data paths, sorted positions for order-free
// comparisons, and an expectation on InputError messages.
#pragma once

#include "core/error.hpp"
#include "crystal/lattice.hpp"
#include "crystal/structure.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace pf::testing {

inline std::string crystal_data(const std::string& name) {
  return std::string(PF_SOURCE_DIR) + "/tests/data/crystal/" + name;
}

// (Z, fractional position) pairs sorted, so readers' atom orders do not matter; coordinates are
// rounded to 1e-6 and 1 - ε folded to 0, so the sort is stable under rounding.
inline std::vector<std::pair<int, crystal::Vec3>> sorted_atoms(const crystal::Structure& s) {
  std::vector<std::pair<int, crystal::Vec3>> atoms;
  for (std::size_t i = 0; i < s.frac.size(); ++i) {
    crystal::Vec3 f{};
    for (int k = 0; k < 3; ++k) {
      f[k] = std::round(s.frac[i][k] * 1e6) / 1e6;
      if (f[k] >= 1.0) f[k] -= 1.0;
    }
    atoms.emplace_back(s.species[i], f);
  }
  std::sort(atoms.begin(), atoms.end());
  return atoms;
}

// Runs `action` and expects an InputError whose message holds every one of `parts`.
template <class Action>
void expect_input_error(Action&& action, const std::vector<std::string>& parts) {
  try {
    action();
    ADD_FAILURE() << "expected an InputError";
  } catch (const InputError& e) {
    const std::string message = e.what();
    for (const auto& part : parts) {
      EXPECT_NE(message.find(part), std::string::npos)
          << "message lacks '" << part << "': " << message;
    }
  }
}

}  // namespace pf::testing
