#include "sim/smoke3d/advection.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <type_traits>

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

// Calls f(point index, lattice indices, position in units of dx) for each updated point of `l`
// (along `axis`, the faces between the walls; −1: every point).
template <class F>
void for_each_point(const Lattice& l, int axis, F&& f) {
  Index lo[3] = {0, 0, 0}, hi[3] = {l.sizes[0], l.sizes[1], l.sizes[2]};
  if (axis >= 0) {
    lo[axis] = 1;
    hi[axis] -= 1;
  }
  for (Index i = lo[0]; i < hi[0]; ++i)
    for (Index j = lo[1]; j < hi[1]; ++j)
      for (Index k = lo[2]; k < hi[2]; ++k) {
        const Index idx[3] = {i, j, k};
        f(l.index(i, j, k), idx,
          std::array<double, 3>{double(i) + l.offset[0], double(j) + l.offset[1],
                                double(k) + l.offset[2]});
      }
}

// A velocity component with the strides of its face lattice.
struct Component {
  const double* c;
  Index stride[3];
};

struct Faces {
  Component comp[3];
  Faces(const MacGrid& g, const Velocity& v) {
    for (int d = 0; d < 3; ++d) {
      const Lattice l = face_lattice(g, d);
      comp[d] = {v.c[std::size_t(d)].data(), {l.sizes[1] * l.sizes[2], l.sizes[2], 1}};
    }
  }
};

// The velocity at point idx of the cell lattice (Axis −1) or of an interior face of Axis:
// trilinear interpolation there reduces to averages of 2 (at a centre) or 4 (another
// component at a face) neighbouring faces, all inside the box, so no ghost is involved.
template <int Axis>
inline std::array<double, 3> velocity_at(const Faces& f, const Index idx[3]) {
  std::array<double, 3> u;
  for (int d = 0; d < 3; ++d) {
    const Component& q = f.comp[d];
    const Index m = idx[0] * q.stride[0] + idx[1] * q.stride[1] + idx[2];
    const Index sd = q.stride[d];
    if constexpr (Axis < 0) {
      u[std::size_t(d)] = 0.5 * (q.c[m] + q.c[m + sd]);
    } else {
      if (d == Axis) {
        u[std::size_t(d)] = q.c[m];
      } else {
        // A face of Axis sits at integer position idx[Axis]: component d's faces around it are
        // at idx[Axis] − 1 and idx[Axis] (its centred axis), idx[d] and idx[d] + 1 (its own).
        const Index m0 = m - q.stride[Axis];
        u[std::size_t(d)] = 0.25 * (q.c[m0] + q.c[m0 + sd] + q.c[m] + q.c[m + sd]);
      }
    }
  }
  return u;
}

// p + s·u (units of dx), clamped into the box [0, n]³.
std::array<double, 3> trace(const MacGrid& g, const std::array<double, 3>& u,
                            const std::array<double, 3>& p, double s) {
  const double top = double(g.n);
  std::array<double, 3> q;
  for (std::size_t a = 0; a < 3; ++a)
    q[a] = std::min(std::max(p[a] + s * u[a], 0.0), top);
  return q;
}

}  // namespace

void Advector::advect(const Lattice& l, double ghost, int axis, const Velocity& velocity, double dt,
                      std::vector<double>& values) {
  const auto size = std::size_t(l.size());
  std::copy(values.begin(), values.begin() + std::ptrdiff_t(size), in_.begin());
  const double s = dt / grid_.dx();
  const double* in = in_.data();
  const Faces faces(grid_, velocity);
  // The lattice's axis as a compile-time constant, so velocity_at has no branches per point.
  const auto run = [&](auto axis_tag) {
    constexpr int A = decltype(axis_tag)::value;
    const auto at = [&](const Index idx[3]) { return velocity_at<A>(faces, idx); };
    if (scheme_ == Advection::SemiLagrangian) {
      for_each_point(l, A, [&](Index m, const Index idx[3], const std::array<double, 3>& p) {
        values[std::size_t(m)] = sample(l, in, ghost, trace(grid_, at(idx), p, -s));
      });
      return;
    }
    // φ̂: the semi-Lagrangian step, with the range of the values it interpolated from.
    std::copy(in, in + size, hat_.begin());  // fixed points (walls) keep their values
    for_each_point(l, A, [&](Index m, const Index idx[3], const std::array<double, 3>& p) {
      const auto q = trace(grid_, at(idx), p, -s);
      hat_[std::size_t(m)] = sample(l, in, ghost, q, &lo_[std::size_t(m)], &hi_[std::size_t(m)]);
    });
    // φ̃: φ̂ carried back; φ − φ̃ estimates twice the first step's error.
    for_each_point(l, A, [&](Index m, const Index idx[3], const std::array<double, 3>& p) {
      tilde_[std::size_t(m)] = sample(l, hat_.data(), ghost, trace(grid_, at(idx), p, s));
    });
    for_each_point(l, A, [&](Index m, const Index*, const std::array<double, 3>&) {
      const auto k = std::size_t(m);
      values[k] = std::min(std::max(hat_[k] + 0.5 * (in[k] - tilde_[k]), lo_[k]), hi_[k]);
    });
  };
  switch (axis) {
    case 0:
      run(std::integral_constant<int, 0>{});
      break;
    case 1:
      run(std::integral_constant<int, 1>{});
      break;
    case 2:
      run(std::integral_constant<int, 2>{});
      break;
    default:
      run(std::integral_constant<int, -1>{});
      break;
  }
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
