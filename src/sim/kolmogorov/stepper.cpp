#include "sim/kolmogorov/stepper.hpp"

#include <cmath>
#include <stdexcept>

namespace pf::sim {

Scheme parse_scheme(const std::string& name) {
  if (name == "cn_heun") return Scheme::CnHeun;
  if (name == "cn_heun_reference") return Scheme::CnHeunReference;
  if (name == "etdrk4") return Scheme::Etdrk4;
  throw std::invalid_argument("time scheme expected cn_heun, cn_heun_reference or etdrk4, found '" +
                              name + "'");
}

Stepper::Stepper(const Flow& flow, Scheme scheme) : scheme_(scheme) {
  const SpectralGrid& g = flow.grid();
  const int n_work = scheme == Scheme::Etdrk4 ? 7 : 3;
  for (int i = 0; i < n_work; ++i)
    work_.emplace_back(g.spec_size());
  if (scheme == Scheme::Etdrk4) {
    k2_of_.assign(static_cast<std::size_t>(g.spec_size()), -1);
    for (Index i = 0; i < g.n(); ++i)
      for (Index j = 0; j < g.nk(); ++j)
        if (g.kept(i, j)) k2_of_[static_cast<std::size_t>(i * g.nk() + j)] = g.k2(i, j);
  }
}

void Stepper::step(Flow& flow, double dt) {
  switch (scheme_) {
    case Scheme::CnHeun:
      cn_heun(flow, dt, true);
      break;
    case Scheme::CnHeunReference:
      cn_heun(flow, dt, false);
      break;
    case Scheme::Etdrk4:
      etdrk4(flow, dt);
      break;
  }
  flow.set_time(flow.time() + dt);
}

void Stepper::cn_heun(Flow& flow, double dt, bool dealias_stages) {
  const SpectralGrid& g = flow.grid();
  const Index ns = g.spec_size();
  if (dt != cn_dt_) {
    if (cn_keep_.size() != ns) {
      cn_keep_ = RealArray(ns);
      cn_gain_ = RealArray(ns);
    }
    for (Index m = 0; m < ns; ++m) {
      const double half = 0.5 * dt * flow.linear()[m];
      cn_keep_[m] = (1.0 - half) / (1.0 + half);
      cn_gain_[m] = dt / (1.0 + half);
    }
    cn_dt_ = dt;
  }
  const double *keep = cn_keep_.data(), *gain = cn_gain_.data(), *mask = g.mask();
  cplx* w = flow.w_hat();
  cplx* h1 = work_[0].data();
  cplx* wt = work_[1].data();
  cplx* h2 = work_[2].data();
  flow.explicit_term(w, h1, dealias_stages);
  for (Index m = 0; m < ns; ++m)
    wt[m] = keep[m] * w[m] + gain[m] * h1[m];
  flow.explicit_term(wt, h2, dealias_stages);
  for (Index m = 0; m < ns; ++m)
    w[m] = mask[m] * (keep[m] * w[m] + gain[m] * 0.5 * (h2[m] + h1[m]));
}

void Stepper::etdrk4_coefficients(const Flow& flow, double dt) {
  const double cut = double(flow.grid().n()) / 3.0;
  const auto k2_max = static_cast<std::size_t>(std::floor(cut * cut));
  for (auto* v : {&e_, &e2_, &q_, &f1_, &f2_, &f3_})
    v->assign(k2_max + 1, 0.0);
  // Points on the upper half of a unit circle around each z = dt·λ: the φ-functions' removable
  // singularity at z = 0 never meets a quadrature point, and for real λ the lower half is the
  // conjugate, so the real part of the half-circle mean is the full contour's mean.
  constexpr int kPoints = 32;
  for (std::size_t k2 = 0; k2 <= k2_max; ++k2) {
    const double lambda = -(flow.params().nu * double(k2) + flow.params().drag);
    const double z0 = dt * lambda;
    double q = 0, f1 = 0, f2 = 0, f3 = 0;
    for (int p = 0; p < kPoints; ++p) {
      const cplx z = z0 + std::exp(cplx(0.0, M_PI * (p + 0.5) / kPoints));
      const cplx ez = std::exp(z), z3 = z * z * z;
      q += ((std::exp(0.5 * z) - 1.0) / z).real();
      f1 += ((-4.0 - z + ez * (4.0 - 3.0 * z + z * z)) / z3).real();
      f2 += ((2.0 + z + ez * (z - 2.0)) / z3).real();
      f3 += ((-4.0 - 3.0 * z - z * z + ez * (4.0 - z)) / z3).real();
    }
    e_[k2] = std::exp(z0);
    e2_[k2] = std::exp(0.5 * z0);
    q_[k2] = dt * q / kPoints;
    f1_[k2] = dt * f1 / kPoints;
    f2_[k2] = dt * f2 / kPoints;
    f3_[k2] = dt * f3 / kPoints;
  }
  coef_dt_ = dt;
}

void Stepper::etdrk4(Flow& flow, double dt) {
  if (dt != coef_dt_) etdrk4_coefficients(flow, dt);
  const Index ns = flow.grid().spec_size();
  cplx* v = flow.w_hat();
  cplx *nv = work_[0].data(), *a = work_[1].data(), *na = work_[2].data(), *b = work_[3].data(),
       *nb = work_[4].data(), *c = work_[5].data(), *nc = work_[6].data();
  const auto k2 = [&](Index m) { return k2_of_[static_cast<std::size_t>(m)]; };
  flow.explicit_term(v, nv, true);
  for (Index m = 0; m < ns; ++m)
    a[m] = k2(m) < 0 ? cplx(0.0) : e2_[k2(m)] * v[m] + q_[k2(m)] * nv[m];
  flow.explicit_term(a, na, true);
  for (Index m = 0; m < ns; ++m)
    b[m] = k2(m) < 0 ? cplx(0.0) : e2_[k2(m)] * v[m] + q_[k2(m)] * na[m];
  flow.explicit_term(b, nb, true);
  for (Index m = 0; m < ns; ++m)
    c[m] = k2(m) < 0 ? cplx(0.0) : e2_[k2(m)] * a[m] + q_[k2(m)] * (2.0 * nb[m] - nv[m]);
  flow.explicit_term(c, nc, true);
  for (Index m = 0; m < ns; ++m) {
    const int k = k2(m);
    v[m] = k < 0 ? cplx(0.0)
                 : e_[k] * v[m] + f1_[k] * nv[m] + 2.0 * f2_[k] * (na[m] + nb[m]) + f3_[k] * nc[m];
  }
}

}  // namespace pf::sim
