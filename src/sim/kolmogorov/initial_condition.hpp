// Initial vorticity: a zero-mean Gaussian random field on the torus with spectrum
// ∝ (|k|² + τ²)^(−α) (the FactFormer reference's GaussianRF with length 2π): each Fourier
// coefficient is σ·(|k|² + τ²)^(−α/2)·(a + ib), a, b ~ N(0, 1), σ = τ^(α−1) unless given, and
// the ky = 0 column made Hermitian by averaging each pair (what an inverse real transform of
// the reference's non-Hermitian draw does). Drawn on the solver's grid, then dealiased.
#pragma once

#include "core/rng.hpp"
#include "sim/kolmogorov/spectral_grid.hpp"

namespace pf::sim {

struct GrfParams {
  double alpha = 2.5;
  double tau = 7.0;
  double sigma = -1;  // < 0: τ^(α−1), the reference's τ^(½(2α − d)) for d = 2
};

// Coefficients [n, n/2+1] in the normalisation of SpectralGrid (point values = inverse()).
void gaussian_random_field(const SpectralGrid& grid, const GrfParams& params, Rng& rng,
                           cplx* w_hat);

}  // namespace pf::sim
