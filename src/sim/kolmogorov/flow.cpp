#include "sim/kolmogorov/flow.hpp"

#include <stdexcept>

namespace pf::sim {

Flow::Flow(Index n, FlowParams params, bool measure_fft)
    : grid_(n, measure_fft),
      params_(params),
      w_hat_(grid_.spec_size()),
      linear_(grid_.spec_size()),
      a_hat_(grid_.spec_size()),
      b_hat_(grid_.spec_size()),
      c_hat_(grid_.spec_size()),
      u_(grid_.real_size()),
      v_(grid_.real_size()),
      w_(grid_.real_size()) {
  if (params_.k_f < 0 || (params_.k_f > 0 && !grid_.kept(0, params_.k_f)))
    throw std::invalid_argument("Flow: forcing wavenumber expected in [0, n/3] = [0, " +
                                std::to_string(n / 3) + "], found " + std::to_string(params_.k_f));
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < grid_.nk(); ++j)
      linear_[i * grid_.nk() + j] = params_.nu * grid_.k2(i, j) + params_.drag;
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
  const SpectralGrid& g = grid_;
  const Index n = g.n(), nk = g.nk(), nr = g.real_size();
  const double* inv_k2 = g.inv_k2();
  cplx *a = a_hat_.data(), *b = b_hat_.data(), *c = c_hat_.data();
  // One pass builds û, v̂ and a copy of ŵ: the three inverse transforms consume their inputs.
  for (Index i = 0; i < n; ++i) {
    const double kx = g.dkx(i);
    for (Index j = 0; j < nk; ++j) {
      const Index m = i * nk + j;
      const cplx psi = w_hat[m] * inv_k2[m];
      a[m] = cplx(-psi.imag(), psi.real()) * g.dky(j);  // i ky ψ̂
      b[m] = cplx(psi.imag(), -psi.real()) * kx;        // −i kx ψ̂
      c[m] = w_hat[m];
    }
  }
  g.inverse_consuming(a, u_.data());
  g.inverse_consuming(b, v_.data());
  g.inverse_consuming(c, w_.data());
  for (Index m = 0; m < nr; ++m) {
    u_[m] *= w_[m];
    v_[m] *= w_[m];
  }
  g.forward_raw(u_.data(), a);
  g.forward_raw(v_.data(), b);
  // −i(kx·FT[uω] + ky·FT[vω]) = −FT[∇·(uω)] = −FT[u·∇ω] for divergence-free u; the forward
  // transforms' 1/n² and the mask ride along.
  const double scale = 1.0 / double(nr);
  const double* mask = g.mask();
  for (Index i = 0; i < n; ++i) {
    const double kx = g.dkx(i);
    for (Index j = 0; j < nk; ++j) {
      const Index m = i * nk + j;
      const cplx div = kx * a[m] + g.dky(j) * b[m];
      const double s = dealias ? scale * mask[m] : scale;
      out[m] = cplx(div.imag() * s, -div.real() * s);
    }
  }
  if (params_.k_f > 0) out[forcing_index()] += forcing_hat();
}

}  // namespace pf::sim
