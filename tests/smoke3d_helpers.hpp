// Fields for the smoke-simulator tests: random MAC velocities (wall faces 0) and their
// divergence-free projections.
#pragma once

#include "core/rng.hpp"
#include "sim/smoke3d/mac_grid.hpp"
#include "sim/smoke3d/poisson.hpp"
#include "sim/smoke3d/projection.hpp"

#include <algorithm>
#include <cmath>

namespace pf::testing {

// Uniform in [−1, 1) on every interior face, 0 on the walls.
inline sim::smoke::Velocity random_velocity(const sim::smoke::MacGrid& g, std::uint64_t seed) {
  sim::smoke::Velocity v(g);
  Rng rng(seed);
  for (int a = 0; a < 3; ++a) {
    const sim::smoke::Lattice l = sim::smoke::face_lattice(g, a);
    for (Index i = 0; i < l.sizes[0]; ++i)
      for (Index j = 0; j < l.sizes[1]; ++j)
        for (Index k = 0; k < l.sizes[2]; ++k) {
          const Index idx[3] = {i, j, k};
          const bool wall = idx[a] == 0 || idx[a] == g.n;
          v.c[std::size_t(a)][std::size_t(l.index(i, j, k))] = wall ? 0.0 : rng.uniform(-1, 1);
        }
  }
  return v;
}

inline sim::smoke::Velocity solenoidal_velocity(const sim::smoke::MacGrid& g, std::uint64_t seed) {
  sim::smoke::Velocity v = random_velocity(g, seed);
  sim::smoke::DctPoisson poisson(g.n, g.dx(), false);
  sim::smoke::project(g, poisson, v);
  return v;
}

inline double max_abs(const sim::smoke::Velocity& v) {
  double m = 0;
  for (const auto& c : v.c)
    for (const double x : c)
      m = std::max(m, std::abs(x));
  return m;
}

inline double max_abs_difference(const sim::smoke::Velocity& a, const sim::smoke::Velocity& b) {
  double m = 0;
  for (std::size_t d = 0; d < 3; ++d)
    for (std::size_t i = 0; i < a.c[d].size(); ++i)
      m = std::max(m, std::abs(a.c[d][i] - b.c[d][i]));
  return m;
}

}  // namespace pf::testing
