// The closed box [0, L]³ cut into n³ cells of side dx = L/n, with a staggered (MAC) velocity:
// u on the x-faces, v on the y-faces, w on the z-faces, smoke density at the cell centres.
// Arrays are row-major with z the fastest axis; each velocity component has n + 1 faces along
// its own axis, the first and the last being walls (always 0: the box is closed).
//
// Values beyond the box, which stencils and interpolation reach along axes where a quantity
// sits at cell centres, are ghosts: ghost = g·(the value just inside), with g the ghost factor.
// For the density g = 1 (zero gradient); for a tangential velocity it encodes the wall type.
//
// The solver runs on the host in fp64, one trajectory per rank: the pressure solve is FFTW's
// (a host library), and moving every field to a device and back each step would cost more than
// the advection it could speed up.
#pragma once

#include "core/types.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

namespace pf::sim::smoke {

// Tangential velocity at the walls. ZeroGhost is the reference's (PhiFlow's ZERO extrapolation:
// the ghost is 0, so the wall sees half the adjacent value); NoSlip mirrors with a sign change
// (zero velocity on the wall, second order); FreeSlip mirrors (zero shear on the wall).
enum class Walls { ZeroGhost, NoSlip, FreeSlip };

Walls parse_walls(const std::string& name);  // "zero_ghost" | "no_slip" | "free_slip"
double ghost_factor(Walls walls);            // 0, −1, +1

struct MacGrid {
  Index n = 64;
  double length = 8.0;
  double dx() const { return length / double(n); }
  Index cells() const { return n * n * n; }
  Index faces() const { return (n + 1) * n * n; }  // per velocity component
};

// A quantity on its own lattice: `sizes` values per axis, positions (in units of dx) of index
// i along axis a at i + offset[a] (0 on a face axis, ½ on a centred one).
struct Lattice {
  std::array<Index, 3> sizes;
  std::array<double, 3> offset;
  Index index(Index i, Index j, Index k) const { return (i * sizes[1] + j) * sizes[2] + k; }
  Index size() const { return sizes[0] * sizes[1] * sizes[2]; }
};

inline Lattice cell_lattice(const MacGrid& g) {
  return {{g.n, g.n, g.n}, {0.5, 0.5, 0.5}};
}
// axis 0: u, 1: v, 2: w.
inline Lattice face_lattice(const MacGrid& g, int axis) {
  Lattice l = cell_lattice(g);
  l.sizes[std::size_t(axis)] = g.n + 1;
  l.offset[std::size_t(axis)] = 0.0;
  return l;
}

struct Velocity {
  std::array<std::vector<double>, 3> c;  // u, v, w on their face lattices
  explicit Velocity(const MacGrid& grid);
};

struct SmokeState {
  MacGrid grid;
  std::vector<double> density;  // [n, n, n]
  Velocity velocity;
  explicit SmokeState(const MacGrid& grid);
};

namespace detail {

// The two lattice points bracketing f along one axis, their weights, and the factor each
// point's value carries: the ghost factor beyond the end of a centred axis, else 1.
struct Bracket {
  Index i[2];
  double w[2];
  double g[2];
};

inline Bracket bracket(double f, Index size, bool face_axis, double ghost) {
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

template <bool kRange>
inline double trilinear(const Lattice& l, const double* values, double ghost,
                        const std::array<double, 3>& p, double* lo, double* hi) {
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
        if (kRange) {
          mn = std::min(mn, v);
          mx = std::max(mx, v);
        }
      }
    }
  if (kRange) {
    *lo = mn;
    *hi = mx;
  }
  return sum;
}

}  // namespace detail

// Trilinear interpolation of `values` on `lattice` at position p (units of dx, clamped into the
// box by the caller), ghosts g·(inside value) beyond the ends of centred axes. When lo and hi
// are given, they receive the extremes of the eight values used (MacCormack's limiter).
inline double sample(const Lattice& lattice, const double* values, double ghost,
                     const std::array<double, 3>& p, double* lo = nullptr, double* hi = nullptr) {
  if (lo && hi) return detail::trilinear<true>(lattice, values, ghost, p, lo, hi);
  return detail::trilinear<false>(lattice, values, ghost, p, nullptr, nullptr);
}

// Cell-centred velocity, the average of each cell's two faces per component, as fp32
// [n, n, n, 3] (the stored t1 field).
void centred_velocity(const MacGrid& grid, const Velocity& v, float* out);

}  // namespace pf::sim::smoke
