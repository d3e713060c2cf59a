#include "sim/kolmogorov/diagnostics.hpp"

#include <cmath>

namespace pf::sim {

FlowDiagnostics diagnose(const Flow& flow) {
  const SpectralGrid& g = flow.grid();
  const Index nk = g.nk();
  const cplx* w = flow.w_hat();
  double e = 0, z = 0;
  for (Index i = 0; i < g.n(); ++i)
    for (Index j = 0; j < nk; ++j) {
      const int k2 = g.k2(i, j);
      const double a2 = g.weight(j) * std::norm(w[i * nk + j]);
      z += a2;
      if (k2 > 0) e += a2 / k2;
    }
  FlowDiagnostics d;
  d.energy = 0.5 * e;
  d.enstrophy = 0.5 * z;
  d.dissipation = 2.0 * flow.params().nu * d.enstrophy;
  const int kf = flow.params().k_f;
  if (kf > 0) {
    // ψ̂ f̂* summed over ±k_f: twice the real part of the half-spectrum term.
    const cplx psi = w[flow.forcing_index()] / double(kf * kf);
    d.injection = 2.0 * (psi * std::conj(flow.forcing_hat())).real();
  }
  return d;
}

}  // namespace pf::sim
