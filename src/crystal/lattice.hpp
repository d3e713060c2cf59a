// Host fp64 geometry of a periodic cell: lattice rows are the vectors a, b, c (Å), fractional
// coordinates f map to Cartesian r = f · L (row vector times matrix), as ASE and pymatgen do.
#pragma once

#include <array>
#include <vector>

namespace pf::crystal {

using Vec3 = std::array<double, 3>;
using Mat3 = std::array<Vec3, 3>;

// Lattice from lengths (Å) and angles (degrees): a along x, b in the xy plane, c completing a
// right-handed cell (the CIF/pymatgen-free convention ASE's cellpar_to_cell uses by default).
Mat3 cell_from_parameters(double a, double b, double c, double alpha, double beta, double gamma);
// {a, b, c, alpha, beta, gamma}: lengths in Å, angles in degrees.
std::array<double, 6> cell_parameters(const Mat3& lattice);

double determinant(const Mat3& m);            // signed cell volume for a lattice
Mat3 inverse(const Mat3& m);                  // caller checks the determinant first
Mat3 multiply(const Mat3& a, const Mat3& b);  // a · b
Vec3 frac_to_cart(const Vec3& frac, const Mat3& lattice);
Vec3 cart_to_frac(const Vec3& cart, const Mat3& inverse_lattice);

// Wraps each coordinate into [0, 1); values that round to 1.0 after wrapping become 0.
Vec3 wrap_frac(const Vec3& frac);

// Distance between interplanar planes of the lattice: 1 / |reciprocal vector| per axis.
Vec3 plane_spacings(const Mat3& lattice);

// Shortest distance between the points frac_a + any lattice translation and frac_b, over every
// periodic image that can be nearer than `search_radius` (Å). Returns a value larger than
// `search_radius` (not necessarily the true minimum) when no image is within it.
double periodic_distance(const Mat3& lattice, const Vec3& frac_a, const Vec3& frac_b,
                         double search_radius);

// The first pair (i < j, in order of j then i) of atoms nearer than `threshold` (Å) over
// periodic images, or {-1, -1} with distance ∞. Atoms are binned by fractional coordinate into
// slabs at least `threshold` thick, so only neighbouring bins are compared: linear in the atom
// count for a fixed density.
struct ClosePair {
  int i = -1, j = -1;
  double distance = 0.0;
};
ClosePair first_close_pair(const Mat3& lattice, const std::vector<Vec3>& frac, double threshold);

// Shortest nonzero lattice translation no longer than `search_radius`, or a value above it.
double shortest_lattice_vector(const Mat3& lattice, double search_radius);

}  // namespace pf::crystal
