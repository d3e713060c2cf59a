// The pressure Poisson problem of the MAC projection on the closed box: the 7-point Laplacian of
// cell-centred p with zero flux through every wall, L p = f. The 3D DCT-II (FFTW REDFT10)
// diagonalises that discrete operator exactly, with eigenvalues
//   λ(m) = Σ_d (2cos(π m_d / n) − 2) / dx²,
// so the solve is a forward DCT-II, a division, and a DCT-III (REDFT01) back: exact to round-off,
// where the reference iterates CG to 1e-5. L is singular (constants): the mean of f is removed and
// p̂(0) = 0, i.e. p has zero mean. fp64 on the host; plans are made once per solver (under a
// process-wide lock: FFTW's planner is not thread-safe).
#pragma once

#include "core/types.hpp"

#include <fftw3.h>

#include <vector>

namespace pf::sim::smoke {

class DctPoisson {
 public:
  // measure: FFTW_MEASURE (faster, but the algorithm depends on timings, so the last bits may
  // differ between runs) or FFTW_ESTIMATE (deterministic).
  DctPoisson(Index n, double dx, bool measure);
  ~DctPoisson();
  DctPoisson(const DctPoisson&) = delete;
  DctPoisson& operator=(const DctPoisson&) = delete;

  Index n() const { return n_; }
  // λ of mode (m0, m1, m2).
  double eigenvalue(Index m0, Index m1, Index m2) const;

  // The work array [n, n, n] (fftw_malloc'd): fill it with f, call solve(), read p from it.
  double* data() { return buf_; }
  // Returns the mean that was removed from f.
  double solve();

  // The two transforms alone (for benchmarks): in place on data(), unnormalised.
  void forward() { fftw_execute(dct2_); }
  void backward() { fftw_execute(dct3_); }

 private:
  Index n_;
  double dx_;
  double* buf_ = nullptr;
  std::vector<double> lambda_1d_;  // (2cos(πm/n) − 2)/dx², m = 0 .. n − 1
  fftw_plan dct2_ = nullptr, dct3_ = nullptr;
};

}  // namespace pf::sim::smoke
