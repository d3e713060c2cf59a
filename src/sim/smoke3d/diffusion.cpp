#include "sim/smoke3d/diffusion.hpp"

#include <algorithm>

namespace pf::sim::smoke {

void diffuse(const MacGrid& g, double nu, double dt, double ghost, Velocity& v,
             std::vector<double>& scratch) {
  if (nu == 0.0) return;
  const double alpha = diffusion_number(nu, dt, g.dx());
  scratch.resize(std::max(scratch.size(), std::size_t(g.faces())));
  for (int a = 0; a < 3; ++a) {
    const Lattice l = face_lattice(g, a);
    std::vector<double>& out = v.c[std::size_t(a)];
    std::copy(out.begin(), out.end(), scratch.begin());
    const double* in = scratch.data();
    const Index stride[3] = {l.sizes[1] * l.sizes[2], l.sizes[2], 1};
    Index lo[3] = {0, 0, 0}, hi[3] = {l.sizes[0], l.sizes[1], l.sizes[2]};
    lo[a] = 1;  // wall faces stay 0
    hi[a] -= 1;
    for (Index i = lo[0]; i < hi[0]; ++i)
      for (Index j = lo[1]; j < hi[1]; ++j)
        for (Index k = lo[2]; k < hi[2]; ++k) {
          const Index idx[3] = {i, j, k};
          const Index m = l.index(i, j, k);
          const double c = in[m];
          double lap = 0.0;
          for (int d = 0; d < 3; ++d) {
            // Along the own axis both neighbours exist (walls included); along the others the
            // ends of the lattice are the box's walls, beyond which lie ghosts.
            const double below = idx[d] > 0 ? in[m - stride[d]] : ghost * c;
            const double above = idx[d] < l.sizes[d] - 1 ? in[m + stride[d]] : ghost * c;
            lap += below + above - 2.0 * c;
          }
          out[std::size_t(m)] = c + alpha * lap;
        }
  }
}

}  // namespace pf::sim::smoke
