// The periodic square [0, 2π)² sampled on n × n points, x the first array axis and y the last,
// and its half spectrum [n, n/2 + 1] as FFTW's r2c transform lays it out: row i holds kx = i for
// i < n/2 and i − n above, column j holds ky = j. The solver runs on the host: FFTW is a host
// library, and one 2D transform of this size does not gain from threads, so the parallelism is
// one trajectory per rank (simulators.md).
#pragma once

#include "core/types.hpp"

#include <fftw3.h>

#include <complex>
#include <memory>

namespace pf::sim {

using cplx = std::complex<double>;

// fftw_malloc'd (SIMD-aligned) array: every array handed to a plan must share the planned
// arrays' alignment.
template <class T>
class AlignedArray {
 public:
  AlignedArray() = default;
  explicit AlignedArray(Index n)
      : data_(static_cast<T*>(fftw_malloc(sizeof(T) * static_cast<std::size_t>(n)))), size_(n) {
    if (!data_) throw std::bad_alloc();
    for (Index i = 0; i < n; ++i)
      data_.get()[i] = T{};
  }
  T* data() const { return data_.get(); }
  Index size() const { return size_; }
  T& operator[](Index i) const { return data_.get()[i]; }

 private:
  struct Free {
    void operator()(T* p) const { fftw_free(p); }
  };
  std::unique_ptr<T, Free> data_;
  Index size_ = 0;
};

using RealArray = AlignedArray<double>;
using SpecArray = AlignedArray<cplx>;

class SpectralGrid {
 public:
  // n even, ≥ 4. measure: FFTW_MEASURE (faster transforms, but the algorithm FFTW picks depends
  // on timings, so results may differ in the last bits between runs) or FFTW_ESTIMATE
  // (deterministic). Planning is serialised under a process-wide lock: FFTW's planner is not
  // thread-safe.
  SpectralGrid(Index n, bool measure);
  ~SpectralGrid();
  SpectralGrid(const SpectralGrid&) = delete;
  SpectralGrid& operator=(const SpectralGrid&) = delete;

  Index n() const { return n_; }
  Index nk() const { return nk_; }                                     // n/2 + 1
  Index real_size() const { return n_ * n_; }                          // [n, n]
  Index spec_size() const { return n_ * nk_; }                         // [n, n/2 + 1]
  double dx() const;                                                   // 2π/n
  int kx(Index i) const { return i < n_ / 2 ? int(i) : int(i - n_); }  // row i (−n/2 at i = n/2)
  int ky(Index j) const { return int(j); }
  // Wavenumbers for odd derivatives: zero on the Nyquist row/column, where a real field's
  // derivative has no representable value.
  double dkx(Index i) const { return i == n_ / 2 ? 0.0 : kx(i); }
  double dky(Index j) const { return j == n_ / 2 ? 0.0 : double(j); }
  int k2(Index i, Index j) const { return kx(i) * kx(i) + ky(j) * ky(j); }
  // 2/3 rule on a disc as in the reference: kept iff |k|² ≤ (n/3)², and k = 0 removed.
  bool kept(Index i, Index j) const;
  // Half-spectrum weight in sums over the full spectrum: columns 0 and n/2 stand for themselves,
  // the others also for their conjugates.
  double weight(Index j) const { return (j == 0 || j == n_ / 2) ? 1.0 : 2.0; }

  // Normalised transforms: forward gives Fourier coefficients (1/n² Σ f e^{−ik·x}), inverse sums
  // them back to point values. `spec` of inverse() is left intact (it is copied first, since
  // FFTW's multi-dimensional c2r destroys its input).
  void forward(const double* real, cplx* spec) const;
  void inverse(const cplx* spec, double* real) const;
  // The bare transforms for hot loops that fold the 1/n² into their own pass: forward_raw gives
  // n² times the coefficients; inverse_consuming destroys `spec`.
  void forward_raw(const double* real, cplx* spec) const;
  void inverse_consuming(cplx* spec, double* real) const;

  // Per-mode tables [n, n/2+1]: 1/|k|² (0 at k = 0) and the 2/3 mask (1 kept, 0 removed).
  const double* inv_k2() const { return inv_k2_.data(); }
  const double* mask() const { return mask_.data(); }

 private:
  Index n_, nk_;
  fftw_plan r2c_ = nullptr, c2r_ = nullptr;
  SpecArray scratch_;  // c2r input copy
  RealArray inv_k2_, mask_;
};

}  // namespace pf::sim
