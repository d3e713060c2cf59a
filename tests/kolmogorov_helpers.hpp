// Shared set-up of the Kolmogorov-flow tests: flows from analytic fields and norms.
#pragma once

#include "sim/kolmogorov/flow.hpp"
#include "sim/kolmogorov/stepper.hpp"

#include <cmath>
#include <functional>
#include <vector>

namespace pf::testing {

// Point values of f(x, y) on the n × n grid, x the first axis.
inline std::vector<double> sample(Index n, const std::function<double(double, double)>& f) {
  std::vector<double> out(std::size_t(n * n));
  const double h = 2.0 * M_PI / double(n);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < n; ++j)
      out[std::size_t(i * n + j)] = f(h * double(i), h * double(j));
  return out;
}

inline std::vector<double> vorticity_of(const sim::Flow& flow) {
  std::vector<double> w(std::size_t(flow.grid().real_size()));
  flow.vorticity(w.data());
  return w;
}

inline double max_abs(const std::vector<double>& v) {
  double m = 0;
  for (double x : v)
    m = std::max(m, std::abs(x));
  return m;
}

inline double max_abs_diff(const std::vector<double>& a, const std::vector<double>& b) {
  double m = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    m = std::max(m, std::abs(a[i] - b[i]));
  return m;
}

inline void run_steps(sim::Flow& flow, sim::Stepper& stepper, double dt, Index steps) {
  for (Index s = 0; s < steps; ++s)
    stepper.step(flow, dt);
}

}  // namespace pf::testing
