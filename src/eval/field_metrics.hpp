// Rollout metrics on host fp32 frames, accumulated in fp64 (what `portaformer evaluate` reports).
#pragma once

#include "core/types.hpp"

#include <vector>

namespace pf::eval {

// ||pred - truth|| / ||truth|| over n values (FactFormer's rel-L2 for one frame). 0 when both are
// zero; +inf when only the truth is.
double relative_l2(const float* pred, const float* truth, Index n);

// <pred, truth> / (||pred|| ||truth||), without removing means: the vorticity correlation of
// Kochkov et al. (2021), as jax-cfd computes it (each field divided by its L2 norm over the grid,
// then the product summed). Kolmogorov vorticity has zero mean, so this equals the Pearson
// coefficient there. 0 when either field is identically zero.
double correlation(const float* pred, const float* truth, Index n);

// Isotropic spectrum: energy[s] is the energy of shell s, centred at k[s] = (s + 1)·dk.
struct Spectrum {
  std::vector<double> k, energy;
};

// Kinetic-energy spectrum of a 2D periodic vorticity field sampled on an nx × ny grid covering
// [0, lx) × [0, ly) (row-major, x slowest). With the velocity u = (∂ψ/∂y, −∂ψ/∂x), −Δψ = ω, each
// Fourier mode holds |û|² = |ω̂|²/|k|². Modes are binned by |k| into shells [k − dk/2, k + dk/2)
// with dk = 2π / max(lx, ly) (dk = 1 on the 2π torus, so k is the integer wavenumber), and
//   energy[s] = Σ_{modes in shell s} |ω̂|² / (2 N² |k|²),   N = nx·ny, ω̂ the unnormalised DFT,
// so that Σ_s energy[s] = ½⟨|u|²⟩ (the mean over grid points) exactly, by Parseval. The mean
// vorticity (k = 0) carries no velocity and is left out. Shells run out to the grid's corner
// wavenumber; beyond min(nx/lx, ny/ly)·π they are only partly filled, so compare spectra below
// the Nyquist (or dealiasing) wavenumber. fp64 FFTW r2c; plan creation is serialised, so calls
// from several threads are safe.
Spectrum energy_spectrum_2d(const float* vorticity, Index nx, Index ny, double lx, double ly);

// Mean over the shells with 1 <= k <= k_max of |log10 E_pred(k) − log10 E_true(k)|: a factor of
// 10 off in every shell scores 1. Shells where either energy is not positive (nothing to compare
// on a log scale) are skipped; NaN when no shell is left. Both spectra must come from the same
// grid (same shells), or ShapeError.
double spectrum_log_error(const Spectrum& pred, const Spectrum& truth, double k_max);

// The first index whose value is below `threshold` or NaN (series.size() if none): with a
// correlation series and 0.8, the number of steps a rollout stays correlated.
Index steps_above(const std::vector<double>& series, double threshold);

}  // namespace pf::eval
