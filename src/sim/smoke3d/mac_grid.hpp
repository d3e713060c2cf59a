// The closed box [0, L]³ cut into n³ cells of side dx = L/n, with a staggered (MAC) velocity:
// u on the x-faces, v on the y-faces, w on the z-faces, smoke density at the cell centres.
// Arrays are row-major with z the fastest axis; each velocity component has n + 1 faces along
// its own axis, the first and the last being walls (always 0: the box is closed).
//
// Values beyond the box, which stencils and interpolation reach along axes where a quantity
// sits at cell centres, are ghosts: ghost = g·(the value just inside), with g the Ghost factor.
// For the density g = 1 (zero gradient); for a tangential velocity it encodes the wall type.
//
// The solver runs on the host in fp64, one trajectory per rank: the pressure solve is FFTW's
// (a host library), and moving every field to a device and back each step would cost more than
// the advection it could speed up.
#pragma once

#include "core/types.hpp"

#include <array>
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

Lattice cell_lattice(const MacGrid& grid);
Lattice face_lattice(const MacGrid& grid, int axis);  // axis 0: u, 1: v, 2: w

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

// Trilinear interpolation of `values` on `lattice` at position p (units of dx, clamped into the
// box by the caller), ghosts g·(inside value) beyond the ends of centred axes. When lo/hi are
// given, they receive the extremes of the eight values used (MacCormack's limiter).
double sample(const Lattice& lattice, const double* values, double ghost,
              const std::array<double, 3>& p, double* lo = nullptr, double* hi = nullptr);

// The velocity at p (units of dx), each component interpolated on its own lattice.
std::array<double, 3> sample_velocity(const MacGrid& grid, const Velocity& v, double ghost,
                                      const std::array<double, 3>& p);

// Cell-centred velocity, the average of each cell's two faces per component, as fp32
// [n, n, n, 3] (the stored t1 field).
void centred_velocity(const MacGrid& grid, const Velocity& v, float* out);

}  // namespace pf::sim::smoke
