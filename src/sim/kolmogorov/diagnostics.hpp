// Per-frame scalars of a Flow, from its Fourier coefficients by Parseval (exact for the
// discrete field; ⟨·⟩ is the mean over the torus):
//   kinetic energy   E = ½⟨|u|²⟩ = ½ Σ |ŵ|²/|k|²
//   enstrophy        Z = ½⟨ω²⟩  = ½ Σ |ŵ|²
//   dissipation      ε = 2νZ    (viscous loss of energy)
//   injection        P = ⟨F·u⟩ = ⟨ψ f⟩ (F the velocity forcing whose curl is f)
// so that dE/dt = P − 2νZ − 2αE for the dealiased (Galerkin) system.
#pragma once

#include "sim/kolmogorov/flow.hpp"

namespace pf::sim {

struct FlowDiagnostics {
  double energy = 0, enstrophy = 0, dissipation = 0, injection = 0;
};

FlowDiagnostics diagnose(const Flow& flow);

}  // namespace pf::sim
