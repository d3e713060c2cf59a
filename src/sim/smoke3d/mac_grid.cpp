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

Lattice cell_lattice(const MacGrid& g) {
  return {{g.n, g.n, g.n}, {0.5, 0.5, 0.5}};
}

Lattice face_lattice(const MacGrid& g, int axis) {
  Lattice l = cell_lattice(g);
  l.sizes[std::size_t(axis)] = g.n + 1;
  l.offset[std::size_t(axis)] = 0.0;
  return l;
}

Velocity::Velocity(const MacGrid& grid) {
  for (int a = 0; a < 3; ++a)
    c[std::size_t(a)].assign(std::size_t(grid.faces()), 0.0);
}

SmokeState::SmokeState(const MacGrid& g)
    : grid(g), density(std::size_t(g.cells()), 0.0), velocity(g) {}

namespace {

// The two lattice points bracketing f along one axis, their weights, and the factor each
// point's value carries: the ghost factor beyond the end of a centred axis, else 1.
struct Bracket {
  Index i[2];
  double w[2];
  double g[2];
};

Bracket bracket(double f, Index size, bool face_axis, double ghost) {
  Index i0 = static_cast<Index>(std::floor(f));
  if (face_axis) i0 = std::min(std::max<Index>(i0, 0), size - 2);  // f ∈ [0, size − 1]
  const double t = f - double(i0);
  Bracket b{{i0, i0 + 1}, {1.0 - t, t}, {1.0, 1.0}};
  if (b.i[0] < 0) {
    b.i[0] = 0;
    b.g[0] = ghost;
  }
  if (b.i[1] >= size) {
    b.i[1] = size - 1;
    b.g[1] = ghost;
  }
  return b;
}

}  // namespace

double sample(const Lattice& l, const double* values, double ghost, const std::array<double, 3>& p,
              double* lo, double* hi) {
  Bracket b[3];
  for (std::size_t a = 0; a < 3; ++a)
    b[a] = bracket(p[a] - l.offset[a], l.sizes[a], l.offset[a] == 0.0, ghost);
  double sum = 0.0;
  double mn = HUGE_VAL, mx = -HUGE_VAL;
  for (int x = 0; x < 2; ++x)
    for (int y = 0; y < 2; ++y) {
      const double* row = values + (b[0].i[x] * l.sizes[1] + b[1].i[y]) * l.sizes[2];
      const double gxy = b[0].g[x] * b[1].g[y], wxy = b[0].w[x] * b[1].w[y];
      for (int z = 0; z < 2; ++z) {
        const double v = gxy * b[2].g[z] * row[b[2].i[z]];
        sum += wxy * b[2].w[z] * v;
        mn = std::min(mn, v);
        mx = std::max(mx, v);
      }
    }
  if (lo) *lo = mn;
  if (hi) *hi = mx;
  return sum;
}

std::array<double, 3> sample_velocity(const MacGrid& g, const Velocity& v, double ghost,
                                      const std::array<double, 3>& p) {
  return {sample(face_lattice(g, 0), v.c[0].data(), ghost, p),
          sample(face_lattice(g, 1), v.c[1].data(), ghost, p),
          sample(face_lattice(g, 2), v.c[2].data(), ghost, p)};
}

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
