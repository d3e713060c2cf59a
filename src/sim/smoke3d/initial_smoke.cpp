#include "sim/smoke3d/initial_smoke.hpp"

#include <fftw3.h>

#include <cmath>
#include <mutex>
#include <new>
#include <stdexcept>

namespace pf::sim::smoke {

namespace {
std::mutex& planner_mutex() {
  static std::mutex m;
  return m;
}
}  // namespace

void smoke_noise(const MacGrid& g, const NoiseParams& params, Rng& rng, double* density) {
  const Index n = g.n, size = n * n * n;
  fftw_complex* c = fftw_alloc_complex(std::size_t(size));
  if (!c) throw std::bad_alloc();
  fftw_plan plan;
  {
    std::lock_guard<std::mutex> lock(planner_mutex());
    plan = fftw_plan_dft_3d(int(n), int(n), int(n), c, c, FFTW_BACKWARD, FFTW_ESTIMATE);
  }
  if (!plan) {
    fftw_free(c);
    throw std::runtime_error("smoke_noise: FFTW planning failed");
  }
  const double kscale = params.scale / g.length;
  const auto freq = [n](Index i) { return double(i < (n + 1) / 2 ? i : i - n); };
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < n; ++j)
      for (Index k = 0; k < n; ++k) {
        const double kx = freq(i) * kscale, ky = freq(j) * kscale, kz = freq(k) * kscale;
        const double k2 = kx * kx + ky * ky + kz * kz;
        const double a = rng.normal(), b = rng.normal();
        const double w = k2 > 0.1 ? std::pow(k2, -params.smoothness) : 0.0;
        fftw_complex& z = c[(i * n + j) * n + k];
        z[0] = a * w;
        z[1] = b * w;
      }
  fftw_execute(plan);
  {
    std::lock_guard<std::mutex> lock(planner_mutex());
    fftw_destroy_plan(plan);
  }
  double mean = 0.0;
  for (Index m = 0; m < size; ++m)
    mean += c[m][0];
  mean /= double(size);
  double var = 0.0;
  for (Index m = 0; m < size; ++m)
    var += (c[m][0] - mean) * (c[m][0] - mean);
  const double inv_std = 1.0 / std::sqrt(var / double(size));
  for (Index m = 0; m < size; ++m)
    density[m] = std::abs((c[m][0] - mean) * inv_std);
  fftw_free(c);
}

}  // namespace pf::sim::smoke
