// Time steppers for Flow: the stiff linear part −L̂ = −(νk² + α) is treated exactly or
// implicitly, the explicit term N̂ (advection + forcing) explicitly.
//   cn_heun: Crank–Nicolson + Heun, the FactFormer reference's formula (10 transforms):
//            g = (1 − ½dt L̂)ŵ; h₁ = N̂(ŵ); w̃ = (g + dt h₁)/(1 + ½dt L̂);
//            h₂ = ½(N̂(w̃) + h₁); ŵ ← mask·(g + dt h₂)/(1 + ½dt L̂),
//            with N̂ dealiased at both stages: second order.
//   cn_heun_reference: the same, but masking only the new state, exactly as the reference
//            script: w̃ then carries dt·h₁'s modes beyond the 2/3 disc, whose products alias
//            back into the kept modes, an O(dt) error per unit time — first order
//            (tests/test_kolmogorov_convergence.cpp measures it). For bit-level comparisons
//            with the reference only.
//   etdrk4:  exponential time differencing RK4 of Cox & Matthews (fourth order, 20 transforms),
//            φ-function coefficients by Kassam & Trefethen's contour integrals; N̂ is dealiased
//            at every stage so the state never leaves the 2/3 disc.
#pragma once

#include "sim/kolmogorov/flow.hpp"

#include <string>
#include <vector>

namespace pf::sim {

enum class Scheme { CnHeun, CnHeunReference, Etdrk4 };

Scheme parse_scheme(const std::string& name);  // "cn_heun" | "cn_heun_reference" | "etdrk4"

class Stepper {
 public:
  Stepper(const Flow& flow, Scheme scheme);
  Scheme scheme() const { return scheme_; }
  // Advances flow by dt (time included).
  void step(Flow& flow, double dt);

 private:
  void cn_heun(Flow& flow, double dt, bool dealias_stages);
  void etdrk4(Flow& flow, double dt);
  void etdrk4_coefficients(const Flow& flow, double dt);

  Scheme scheme_;
  std::vector<SpecArray> work_;
  // CN factors per mode for the dt they were made for: (1 − ½dt L̂)/(1 + ½dt L̂), dt/(1 + ½dt L̂).
  double cn_dt_ = -1;
  RealArray cn_keep_, cn_gain_;
  // ETDRK4 coefficients per integer |k|² inside the disc, for the dt they were made for
  // (adaptive steps change dt once per saved frame at most, so they are rarely recomputed).
  double coef_dt_ = -1;
  std::vector<double> e_, e2_, q_, f1_, f2_, f3_;
  std::vector<int> k2_of_;  // per mode: |k|² if kept, −1 otherwise
};

}  // namespace pf::sim
