#include "sim/smoke3d/poisson.hpp"

#include <cmath>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>

namespace pf::sim::smoke {

namespace {
std::mutex& planner_mutex() {
  static std::mutex m;
  return m;
}
}  // namespace

DctPoisson::DctPoisson(Index n, double dx, bool measure) : n_(n), dx_(dx) {
  if (n < 2) throw std::invalid_argument("DctPoisson: n expected ≥ 2, found " + std::to_string(n));
  const auto size = std::size_t(n * n * n);
  buf_ = fftw_alloc_real(size);
  if (!buf_) throw std::bad_alloc();
  lambda_1d_.resize(std::size_t(n));
  for (Index m = 0; m < n; ++m)
    lambda_1d_[std::size_t(m)] = (2.0 * std::cos(M_PI * double(m) / double(n)) - 2.0) / (dx * dx);
  const unsigned flags = measure ? FFTW_MEASURE : FFTW_ESTIMATE;
  const int ni = int(n);
  {
    // FFTW_MEASURE overwrites the array while planning: plan before any data is in it.
    std::lock_guard<std::mutex> lock(planner_mutex());
    dct2_ =
        fftw_plan_r2r_3d(ni, ni, ni, buf_, buf_, FFTW_REDFT10, FFTW_REDFT10, FFTW_REDFT10, flags);
    dct3_ =
        fftw_plan_r2r_3d(ni, ni, ni, buf_, buf_, FFTW_REDFT01, FFTW_REDFT01, FFTW_REDFT01, flags);
  }
  if (!dct2_ || !dct3_) throw std::runtime_error("DctPoisson: FFTW planning failed");
  for (std::size_t i = 0; i < size; ++i)
    buf_[i] = 0.0;
}

DctPoisson::~DctPoisson() {
  {
    std::lock_guard<std::mutex> lock(planner_mutex());
    fftw_destroy_plan(dct2_);
    fftw_destroy_plan(dct3_);
  }
  fftw_free(buf_);
}

double DctPoisson::eigenvalue(Index m0, Index m1, Index m2) const {
  return lambda_1d_[std::size_t(m0)] + lambda_1d_[std::size_t(m1)] + lambda_1d_[std::size_t(m2)];
}

double DctPoisson::solve() {
  const Index n = n_, size = n * n * n;
  double mean = 0.0;
  for (Index i = 0; i < size; ++i)
    mean += buf_[i];
  mean /= double(size);
  // The mean is the m = 0 mode, which the division below drops: no separate pass needed.
  fftw_execute(dct2_);
  // DCT-II then DCT-III multiplies by 2n per axis.
  const double norm = 1.0 / (8.0 * double(n) * double(n) * double(n));
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < n; ++j) {
      const double lij = lambda_1d_[std::size_t(i)] + lambda_1d_[std::size_t(j)];
      double* row = buf_ + (i * n + j) * n;
      for (Index k = 0; k < n; ++k) {
        const double l = lij + lambda_1d_[std::size_t(k)];
        row[k] = l == 0.0 ? 0.0 : row[k] * norm / l;
      }
    }
  fftw_execute(dct3_);
  return mean;
}

}  // namespace pf::sim::smoke
