#include "sim/smoke3d/advection.hpp"

#include "core/error.hpp"

#include <algorithm>

namespace pf::sim::smoke {

Advection parse_advection(const std::string& name) {
  if (name == "semi_lagrangian") return Advection::SemiLagrangian;
  if (name == "maccormack") return Advection::MacCormack;
  throw InputError("advection: expected semi_lagrangian or maccormack, found \"" + name + "\"");
}

Advector::Advector(const MacGrid& grid, Advection scheme, double velocity_ghost)
    : grid_(grid), scheme_(scheme), velocity_ghost_(velocity_ghost), old_(grid) {
  const auto size = std::size_t(grid.faces());
  in_.resize(size);
  if (scheme == Advection::MacCormack) {
    hat_.resize(size);
    tilde_.resize(size);
    lo_.resize(size);
    hi_.resize(size);
  }
}

namespace {

// Calls f(point index, position in units of dx) for each updated point of `l`.
template <class F>
void for_each_point(const Lattice& l, int fixed_axis, F&& f) {
  Index lo[3] = {0, 0, 0}, hi[3] = {l.sizes[0], l.sizes[1], l.sizes[2]};
  if (fixed_axis >= 0) {
    lo[fixed_axis] = 1;
    hi[fixed_axis] -= 1;
  }
  for (Index i = lo[0]; i < hi[0]; ++i)
    for (Index j = lo[1]; j < hi[1]; ++j)
      for (Index k = lo[2]; k < hi[2]; ++k)
        f(l.index(i, j, k), std::array<double, 3>{double(i) + l.offset[0], double(j) + l.offset[1],
                                                  double(k) + l.offset[2]});
}

// p + s·u(p) (units of dx), clamped into the box [0, n]³.
std::array<double, 3> trace(const MacGrid& g, const Velocity& v, double ghost,
                            const std::array<double, 3>& p, double s) {
  const std::array<double, 3> u = sample_velocity(g, v, ghost, p);
  const double top = double(g.n);
  std::array<double, 3> q;
  for (std::size_t a = 0; a < 3; ++a)
    q[a] = std::min(std::max(p[a] + s * u[a], 0.0), top);
  return q;
}

}  // namespace

void Advector::advect(const Lattice& l, double ghost, int fixed_axis, const Velocity& velocity,
                      double dt, std::vector<double>& values) {
  const auto size = std::size_t(l.size());
  std::copy(values.begin(), values.begin() + std::ptrdiff_t(size), in_.begin());
  const double s = dt / grid_.dx();
  const double* in = in_.data();
  if (scheme_ == Advection::SemiLagrangian) {
    for_each_point(l, fixed_axis, [&](Index m, const std::array<double, 3>& p) {
      values[std::size_t(m)] = sample(l, in, ghost, trace(grid_, velocity, velocity_ghost_, p, -s));
    });
    return;
  }
  // φ̂: the semi-Lagrangian step, with the range of the values it interpolated from.
  std::copy(in, in + size, hat_.begin());  // fixed points (walls) keep their values
  for_each_point(l, fixed_axis, [&](Index m, const std::array<double, 3>& p) {
    const auto q = trace(grid_, velocity, velocity_ghost_, p, -s);
    hat_[std::size_t(m)] = sample(l, in, ghost, q, &lo_[std::size_t(m)], &hi_[std::size_t(m)]);
  });
  // φ̃: φ̂ carried back; φ − φ̃ estimates twice the first step's error.
  for_each_point(l, fixed_axis, [&](Index m, const std::array<double, 3>& p) {
    tilde_[std::size_t(m)] =
        sample(l, hat_.data(), ghost, trace(grid_, velocity, velocity_ghost_, p, s));
  });
  for_each_point(l, fixed_axis, [&](Index m, const std::array<double, 3>&) {
    const auto k = std::size_t(m);
    values[k] = std::min(std::max(hat_[k] + 0.5 * (in[k] - tilde_[k]), lo_[k]), hi_[k]);
  });
}

void Advector::advect_density(const Velocity& velocity, double dt, std::vector<double>& density) {
  advect(cell_lattice(grid_), 1.0, -1, velocity, dt, density);
}

void Advector::advect_velocity(double dt, Velocity& velocity) {
  old_.c = velocity.c;
  for (int a = 0; a < 3; ++a)
    advect(face_lattice(grid_, a), velocity_ghost_, a, old_, dt, velocity.c[std::size_t(a)]);
}

}  // namespace pf::sim::smoke
