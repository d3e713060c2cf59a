// 2D incompressible Navier–Stokes on the torus in vorticity form,
//   ∂ω/∂t + u·∇ω = ν∇²ω − αω + f(y),   −∇²ψ = ω,   u = (∂ψ/∂y, −∂ψ/∂x),
// with x the first array axis and y the last (as the FactFormer reference). State: the
// vorticity's Fourier coefficients on the half spectrum, fp64.
//
// Forcing f(y) = A·cos(k_f y) or A·sin(k_f y). The reference data (FactFormer
// dataset/kolmogorov.py) use A = −k_f = −8 with cos, which is the vorticity of the unit velocity
// forcing sin(8y) x̂ (its README writes 8cos(8y): a sign that only shifts y by π/8).
#pragma once

#include "sim/kolmogorov/spectral_grid.hpp"

#include <string>

namespace pf::sim {

enum class ForcingShape { Cos, Sin };

struct FlowParams {
  double nu = 1e-3;         // kinematic viscosity (1/Re)
  double drag = 0.1;        // linear drag α
  double amplitude = -8.0;  // A
  int k_f = 8;              // forcing wavenumber (in y); 0 switches forcing off
  ForcingShape shape = ForcingShape::Cos;
};

class Flow {
 public:
  // Throws std::invalid_argument when k_f lies outside the dealiased disc (|k_f| > n/3).
  Flow(Index n, FlowParams params, bool measure_fft);

  const SpectralGrid& grid() const { return grid_; }
  const FlowParams& params() const { return params_; }
  double time() const { return time_; }
  void set_time(double t) { time_ = t; }

  // Coefficients ŵ [n, n/2+1]; steppers update them in place.
  cplx* w_hat() { return w_hat_.data(); }
  const cplx* w_hat() const { return w_hat_.data(); }

  // From point values [n, n] (x first); the mean and the modes beyond the 2/3 disc are removed.
  void set_vorticity(const double* w);
  void vorticity(double* w) const;            // [n, n]
  void velocity(double* u, double* v) const;  // [n, n] each

  // L̂ = νk² + α: the linear (implicit) operator is −L̂.
  const double* linear() const { return linear_.data(); }  // [n, n/2+1]
  // Forcing coefficient f̂ at (kx, ky) = (0, k_f) (the only nonzero one on the half spectrum).
  cplx forcing_hat() const;
  Index forcing_index() const { return params_.k_f; }  // row 0, column k_f

  // N̂(ŵ) = −FT[∂x(uω) + ∂y(vω)] + f̂: the explicit part, 5 transforms (3 inverse, 2 forward).
  // `dealias`: zero N̂ outside the 2/3 disc, so the state never leaves it (see stepper.hpp for
  // the reference's variant, which does not).
  void explicit_term(const cplx* w_hat, cplx* out, bool dealias);

 private:
  SpectralGrid grid_;
  FlowParams params_;
  double time_ = 0;
  SpecArray w_hat_;
  RealArray linear_;
  // Work arrays of explicit_term.
  SpecArray a_hat_, b_hat_, c_hat_;
  RealArray u_, v_, w_;
};

}  // namespace pf::sim
