// Comparisons of our fp32 results with PyTorch's fp64 golden values, shared by the golden tests.
#pragma once

#include "core/types.hpp"

#include <gtest/gtest.h>
#include <Kokkos_Core.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace pf::test {

inline double rms(const std::vector<double>& v) {
  double s = 0;
  for (double x : v)
    s += x * x;
  return std::sqrt(s / double(v.size()));
}

// Largest |got − want| relative to the reference's RMS (scale-aware; near-zero entries do not
// blow it up). The RMS is floored at `floor`: gradients that vanish by structure (key biases
// under softmax, biases feeding a BatchNorm in training) come out as fp32 rounding noise.
template <class A>
double max_error_over_rms(const std::vector<A>& got, const std::vector<double>& want,
                          double floor = 0) {
  EXPECT_EQ(got.size(), want.size());
  double worst = 0;
  for (size_t i = 0; i < got.size() && i < want.size(); ++i)
    worst = std::max(worst, std::abs(double(got[i]) - want[i]));
  return worst / std::max(rms(want), floor);
}

inline std::vector<float> host_grad(const Vec<float>& g, Index n) {
  if (Index(g.extent(0)) != n) return std::vector<float>(n, 0.0f);  // never reached by the loss
  Kokkos::View<float*, Kokkos::HostSpace> host("grad", n);
  Kokkos::deep_copy(host, g);
  return std::vector<float>(host.data(), host.data() + n);
}

}  // namespace pf::test
