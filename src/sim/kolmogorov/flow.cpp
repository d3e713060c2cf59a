#include "sim/kolmogorov/flow.hpp"

#include <stdexcept>

namespace pf::sim {

Flow::Flow(Index n, FlowParams params, bool measure_fft)
    : grid_(n, measure_fft),
      params_(params),
      w_hat_(grid_.spec_size()),
      a_hat_(grid_.spec_size()),
      b_hat_(grid_.spec_size()),
      u_(grid_.real_size()),
      v_(grid_.real_size()),
      w_(grid_.real_size()) {
  if (params_.k_f < 0 || (params_.k_f > 0 && !grid_.kept(0, params_.k_f)))
    throw std::invalid_argument("Flow: forcing wavenumber expected in [0, n/3] = [0, " +
                                std::to_string(n / 3) + "], found " + std::to_string(params_.k_f));
}

cplx Flow::forcing_hat() const {
  if (params_.k_f == 0) return 0.0;
  // cos(ky) = (e^{iky} + e^{−iky})/2 and sin(ky) = (e^{iky} − e^{−iky})/(2i): the half spectrum
  // holds the +k_f coefficient.
  const double half = 0.5 * params_.amplitude;
  return params_.shape == ForcingShape::Cos ? cplx(half, 0.0) : cplx(0.0, -half);
}

void Flow::set_vorticity(const double* w) {
  grid_.forward(w, w_hat_.data());
  const Index nk = grid_.nk();
  for (Index i = 0; i < grid_.n(); ++i)
    for (Index j = 0; j < nk; ++j)
      if (!grid_.kept(i, j)) w_hat_[i * nk + j] = 0.0;
}

void Flow::vorticity(double* w) const {
  grid_.inverse(w_hat_.data(), w);
}

namespace {
// û = i ky ψ̂, v̂ = −i kx ψ̂ with ψ̂ = ŵ/k².
// w_hat [n, nk] -> u_hat, v_hat [n, nk]
void velocity_hat(const SpectralGrid& g, const cplx* w_hat, cplx* u_hat, cplx* v_hat) {
  const Index nk = g.nk();
  for (Index i = 0; i < g.n(); ++i)
    for (Index j = 0; j < nk; ++j) {
      const Index m = i * nk + j;
      const int k2 = g.k2(i, j);
      const cplx psi = k2 == 0 ? cplx(0.0) : w_hat[m] / double(k2);
      u_hat[m] = cplx(0.0, g.dky(j)) * psi;
      v_hat[m] = cplx(0.0, -g.dkx(i)) * psi;
    }
}
}  // namespace

void Flow::velocity(double* u, double* v) const {
  SpecArray u_hat(grid_.spec_size()), v_hat(grid_.spec_size());
  velocity_hat(grid_, w_hat_.data(), u_hat.data(), v_hat.data());
  grid_.inverse(u_hat.data(), u);
  grid_.inverse(v_hat.data(), v);
}

void Flow::explicit_term(const cplx* w_hat, cplx* out, bool dealias) {
  const Index nk = grid_.nk(), nr = grid_.real_size();
  velocity_hat(grid_, w_hat, a_hat_.data(), b_hat_.data());
  grid_.inverse(a_hat_.data(), u_.data());
  grid_.inverse(b_hat_.data(), v_.data());
  grid_.inverse(w_hat, w_.data());
  for (Index m = 0; m < nr; ++m) {
    u_[m] *= w_[m];
    v_[m] *= w_[m];
  }
  grid_.forward(u_.data(), a_hat_.data());
  grid_.forward(v_.data(), b_hat_.data());
  for (Index i = 0; i < grid_.n(); ++i) {
    const double kx = grid_.dkx(i);
    for (Index j = 0; j < nk; ++j) {
      const Index m = i * nk + j;
      // −i(kx·FT[uω] + ky·FT[vω]) = −FT[∇·(uω)] = −FT[u·∇ω] for divergence-free u.
      const cplx div = kx * a_hat_[m] + grid_.dky(j) * b_hat_[m];
      out[m] = (dealias && !grid_.kept(i, j)) ? cplx(0.0) : cplx(div.imag(), -div.real());
    }
  }
  if (params_.k_f > 0) out[forcing_index()] += forcing_hat();
}

}  // namespace pf::sim
