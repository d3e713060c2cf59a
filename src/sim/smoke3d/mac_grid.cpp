#include "sim/smoke3d/mac_grid.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cmath>

namespace pf::sim::smoke {

Walls parse_walls(const std::string& name) {
  if (name == "zero_ghost") return Walls::ZeroGhost;
  if (name == "no_slip") return Walls::NoSlip;
  if (name == "free_slip") return Walls::FreeSlip;
  throw InputError("walls: expected zero_ghost, no_slip or free_slip, found \"" + name + "\"");
}

double ghost_factor(Walls walls) {
  switch (walls) {
    case Walls::ZeroGhost:
      return 0.0;
    case Walls::NoSlip:
      return -1.0;
    case Walls::FreeSlip:
      return 1.0;
  }
  return 0.0;
}

Velocity::Velocity(const MacGrid& grid) {
  for (int a = 0; a < 3; ++a)
    c[std::size_t(a)].assign(std::size_t(grid.faces()), 0.0);
}

SmokeState::SmokeState(const MacGrid& g)
    : grid(g), density(std::size_t(g.cells()), 0.0), velocity(g) {}

void centred_velocity(const MacGrid& g, const Velocity& v, float* out) {
  const Index n = g.n;
  const Lattice lu = face_lattice(g, 0), lv = face_lattice(g, 1), lw = face_lattice(g, 2);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < n; ++j)
      for (Index k = 0; k < n; ++k) {
        float* o = out + ((i * n + j) * n + k) * 3;
        o[0] = float(0.5 * (v.c[0][lu.index(i, j, k)] + v.c[0][lu.index(i + 1, j, k)]));
        o[1] = float(0.5 * (v.c[1][lv.index(i, j, k)] + v.c[1][lv.index(i, j + 1, k)]));
        o[2] = float(0.5 * (v.c[2][lw.index(i, j, k)] + v.c[2][lw.index(i, j, k + 1)]));
      }
}

}  // namespace pf::sim::smoke
