#include "sim/smoke3d/projection.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace pf::sim::smoke {

namespace {

// Calls f(cell index, divergence) for every cell.
template <class F>
void for_each_divergence(const MacGrid& g, const Velocity& v, F&& f) {
  const Index n = g.n;
  const double inv_dx = 1.0 / g.dx();
  const Lattice lu = face_lattice(g, 0), lv = face_lattice(g, 1), lw = face_lattice(g, 2);
  const double *u = v.c[0].data(), *vv = v.c[1].data(), *w = v.c[2].data();
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < n; ++j) {
      const double* u0 = u + lu.index(i, j, 0);
      const double* u1 = u + lu.index(i + 1, j, 0);
      const double* v0 = vv + lv.index(i, j, 0);
      const double* v1 = vv + lv.index(i, j + 1, 0);
      const double* w0 = w + lw.index(i, j, 0);
      const Index base = (i * n + j) * n;
      for (Index k = 0; k < n; ++k)
        f(base + k, ((u1[k] - u0[k]) + (v1[k] - v0[k]) + (w0[k + 1] - w0[k])) * inv_dx);
    }
}

}  // namespace

void divergence(const MacGrid& g, const Velocity& v, double* div) {
  for_each_divergence(g, v, [div](Index c, double d) { div[c] = d; });
}

double max_divergence(const MacGrid& g, const Velocity& v) {
  double m = 0.0;
  for_each_divergence(g, v, [&m](Index, double d) { m = std::max(m, std::abs(d)); });
  return m;
}

double project(const MacGrid& g, DctPoisson& poisson, Velocity& v) {
  if (poisson.n() != g.n)
    throw std::invalid_argument("project: Poisson solver built for another grid size");
  const Index n = g.n;
  divergence(g, v, poisson.data());
  const double mean = poisson.solve();
  const double* p = poisson.data();
  const double inv_dx = 1.0 / g.dx();
  const Lattice lc = cell_lattice(g), lu = face_lattice(g, 0), lv = face_lattice(g, 1),
                lw = face_lattice(g, 2);
  // Interior faces only: a wall face's gradient is the zero flux the solve assumed.
  for (Index i = 1; i < n; ++i)
    for (Index j = 0; j < n; ++j)
      for (Index k = 0; k < n; ++k)
        v.c[0][lu.index(i, j, k)] -= (p[lc.index(i, j, k)] - p[lc.index(i - 1, j, k)]) * inv_dx;
  for (Index i = 0; i < n; ++i)
    for (Index j = 1; j < n; ++j)
      for (Index k = 0; k < n; ++k)
        v.c[1][lv.index(i, j, k)] -= (p[lc.index(i, j, k)] - p[lc.index(i, j - 1, k)]) * inv_dx;
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < n; ++j) {
      double* w = v.c[2].data() + lw.index(i, j, 0);
      const double* pc = p + lc.index(i, j, 0);
      for (Index k = 1; k < n; ++k)
        w[k] -= (pc[k] - pc[k - 1]) * inv_dx;
    }
  return mean;
}

}  // namespace pf::sim::smoke
