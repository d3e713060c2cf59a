// Initial smoke: |noise|, the reference's PhiFlow Noise(scale, smoothness) sampled at the cell
// centres. Complex Gaussian coefficients c(m) = (a + ib)·(k²)^(−smoothness) over the full
// spectrum of the n³ grid, k = m·scale/L (m the signed integer wavenumber), modes with k² ≤ 0.1
// (the mean, at these scales) removed; the real part of the inverse FFT, scaled to standard
// deviation 1, its mean subtracted, then the absolute value (mean ≈ 0.8).
#pragma once

#include "core/rng.hpp"
#include "sim/smoke3d/mac_grid.hpp"

namespace pf::sim::smoke {

struct NoiseParams {
  double scale = 15.0;
  double smoothness = 4.0;
};

// density [n, n, n]; draws 2n³ normals from `rng` in row-major order of the spectrum.
void smoke_noise(const MacGrid& grid, const NoiseParams& params, Rng& rng, double* density);

}  // namespace pf::sim::smoke
