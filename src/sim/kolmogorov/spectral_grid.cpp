#include "sim/kolmogorov/spectral_grid.hpp"

#include <cmath>
#include <mutex>
#include <stdexcept>
#include <string>

namespace pf::sim {

namespace {
std::mutex& planner_mutex() {
  static std::mutex m;
  return m;
}
fftw_complex* as_fftw(cplx* p) {
  return reinterpret_cast<fftw_complex*>(p);
}
}  // namespace

SpectralGrid::SpectralGrid(Index n, bool measure) : n_(n), nk_(n / 2 + 1) {
  if (n < 4 || n % 2 != 0)
    throw std::invalid_argument("SpectralGrid: n expected even and ≥ 4, found " +
                                std::to_string(n));
  scratch_ = SpecArray(spec_size());
  // Planning with FFTW_MEASURE overwrites the arrays: plan on scratch arrays, before any data.
  RealArray real(real_size());
  const unsigned flags = measure ? FFTW_MEASURE : FFTW_ESTIMATE;
  std::lock_guard<std::mutex> lock(planner_mutex());
  r2c_ = fftw_plan_dft_r2c_2d(int(n), int(n), real.data(), as_fftw(scratch_.data()), flags);
  c2r_ = fftw_plan_dft_c2r_2d(int(n), int(n), as_fftw(scratch_.data()), real.data(), flags);
  if (!r2c_ || !c2r_) throw std::runtime_error("SpectralGrid: FFTW planning failed");
  inv_k2_ = RealArray(spec_size());
  mask_ = RealArray(spec_size());
  for (Index i = 0; i < n_; ++i)
    for (Index j = 0; j < nk_; ++j) {
      const int k = k2(i, j);
      inv_k2_[i * nk_ + j] = k == 0 ? 0.0 : 1.0 / double(k);
      mask_[i * nk_ + j] = kept(i, j) ? 1.0 : 0.0;
    }
}

SpectralGrid::~SpectralGrid() {
  std::lock_guard<std::mutex> lock(planner_mutex());
  fftw_destroy_plan(r2c_);
  fftw_destroy_plan(c2r_);
}

double SpectralGrid::dx() const {
  return 2.0 * M_PI / double(n_);
}

bool SpectralGrid::kept(Index i, Index j) const {
  const double cut = double(n_) / 3.0;
  const int k = k2(i, j);
  return k != 0 && double(k) <= cut * cut;
}

void SpectralGrid::forward(const double* real, cplx* spec) const {
  // FFTW's new-array execute never writes its r2c input.
  fftw_execute_dft_r2c(r2c_, const_cast<double*>(real), as_fftw(spec));
  const double scale = 1.0 / double(real_size());
  for (Index m = 0; m < spec_size(); ++m)
    spec[m] *= scale;
}

void SpectralGrid::forward_raw(const double* real, cplx* spec) const {
  fftw_execute_dft_r2c(r2c_, const_cast<double*>(real), as_fftw(spec));
}

void SpectralGrid::inverse_consuming(cplx* spec, double* real) const {
  fftw_execute_dft_c2r(c2r_, as_fftw(spec), real);
}

void SpectralGrid::inverse(const cplx* spec, double* real) const {
  std::copy(spec, spec + spec_size(), scratch_.data());
  fftw_execute_dft_c2r(c2r_, as_fftw(scratch_.data()), real);
}

}  // namespace pf::sim
