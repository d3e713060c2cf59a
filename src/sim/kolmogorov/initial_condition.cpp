#include "sim/kolmogorov/initial_condition.hpp"

#include <cmath>

namespace pf::sim {

void gaussian_random_field(const SpectralGrid& g, const GrfParams& p, Rng& rng, cplx* w_hat) {
  const double sigma = p.sigma < 0 ? std::pow(p.tau, p.alpha - 1.0) : p.sigma;
  const Index n = g.n(), nk = g.nk();
  // Draw in a fixed order (row-major over the half spectrum) so a seed means one field.
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < nk; ++j) {
      const double a = rng.normal(), b = rng.normal();
      const double amp = sigma * std::pow(double(g.k2(i, j)) + p.tau * p.tau, -0.5 * p.alpha);
      w_hat[i * nk + j] = amp * cplx(a, b);
    }
  // The columns ky = 0 and ky = n/2 hold their own conjugates: kx and −kx must agree.
  for (Index j : {Index(0), n / 2})
    for (Index i = 0; i <= n / 2; ++i) {
      const Index ic = (n - i) % n;
      const cplx sym = 0.5 * (w_hat[i * nk + j] + std::conj(w_hat[ic * nk + j]));
      w_hat[i * nk + j] = sym;
      w_hat[ic * nk + j] = std::conj(sym);
    }
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < nk; ++j)
      if (!g.kept(i, j)) w_hat[i * nk + j] = 0.0;
}

}  // namespace pf::sim
