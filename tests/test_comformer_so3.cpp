// Spherical harmonics and real Clebsch–Gordan coefficients in e3nn's basis: normalisation,
// orthogonality, and invariance of the coupling under random rotations and parity. All fp64;
// the values are sums of O(1) products, so 1e-12 is ~10⁴ rounding errors.
#include "crystal_cells.hpp"
#include "models/comformer/so3.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace pf::test {
namespace {

using comformer::kShDim;

constexpr double kTol = 1e-12;

std::array<double, 3> apply(const Mat3d& R, const std::array<double, 3>& r) {
  std::array<double, 3> out{};
  for (int i = 0; i < 3; ++i)
    for (int k = 0; k < 3; ++k)
      out[i] += R[i][k] * r[k];
  return out;
}

std::array<double, 3> random_vector(Rng& rng) {
  return {rng.normal(), rng.normal(), rng.normal()};
}

// Yˡ of r as a vector of 2l+1 values.
std::vector<double> sh(int l, const std::array<double, 3>& r) {
  double y[kShDim];
  comformer::spherical_harmonics(r.data(), y);
  return std::vector<double>(y + l * l, y + (l + 1) * (l + 1));
}

TEST(ComformerSo3, ClebschGordanKnownValues) {
  // ⟨1 1; 1 −1 | 0 0⟩ = 1/√3, ⟨1 0; 1 0 | 2 0⟩ = √(2/3), ⟨1 1; 1 0 | 1 1⟩ = 1/√2,
  // ⟨2 1; 1 −1 | 1 0⟩ = √(3/10).
  EXPECT_NEAR(comformer::clebsch_gordan(1, 1, 1, -1, 0, 0), 1 / std::sqrt(3.0), kTol);
  EXPECT_NEAR(comformer::clebsch_gordan(1, 0, 1, 0, 2, 0), std::sqrt(2.0 / 3.0), kTol);
  EXPECT_NEAR(comformer::clebsch_gordan(1, 1, 1, 0, 1, 1), 1 / std::sqrt(2.0), kTol);
  EXPECT_NEAR(comformer::clebsch_gordan(2, 1, 1, -1, 1, 0), std::sqrt(3.0 / 10.0), kTol);
  EXPECT_EQ(comformer::clebsch_gordan(1, 1, 1, 1, 1, 1), 0.0);  // m3 ≠ m1 + m2
}

TEST(ComformerSo3, SphericalHarmonicsNormAndVectorBlock) {
  Rng rng(3);
  for (int trial = 0; trial < 10; ++trial) {
    const auto r = random_vector(rng);
    const double len = std::sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
    for (int l = 0; l <= 2; ++l) {
      double n2 = 0;
      for (double v : sh(l, r))
        n2 += v * v;
      EXPECT_NEAR(n2, 2 * l + 1, kTol) << "component normalisation, l = " << l;
    }
    const auto y1 = sh(1, r);
    for (int k = 0; k < 3; ++k)
      EXPECT_NEAR(y1[k], std::sqrt(3.0) * r[k] / len, kTol) << "l = 1 is (x, y, z)";
  }
  // The device kernel gives the host values.
  const std::array<double, 3> r = {0.3, -1.2, 0.7};
  const auto dev = comformer::spherical_harmonics(Tensord::from_host({1, 3}, {0.3, -1.2, 0.7}));
  double host[kShDim];
  comformer::spherical_harmonics(r.data(), host);
  const auto got = dev.to_host();
  for (int k = 0; k < kShDim; ++k)
    EXPECT_NEAR(got[k], host[k], kTol);
}

TEST(ComformerSo3, Wigner3jIsNormalisedAndOrthogonal) {
  for (int l1 = 0; l1 <= 2; ++l1)
    for (int l2 = 0; l2 <= 2; ++l2)
      for (int l3 = std::abs(l1 - l2); l3 <= std::min(l1 + l2, 2); ++l3) {
        SCOPED_TRACE(testing::Message() << l1 << " ⊗ " << l2 << " → " << l3);
        const auto C = comformer::wigner_3j(l1, l2, l3);
        const int d12 = (2 * l1 + 1) * (2 * l2 + 1), d3 = 2 * l3 + 1;
        ASSERT_EQ(int(C.size()), d12 * d3);
        // Σ_ij C_ijk C_ijk' = δ_kk' / (2 l3 + 1): the columns are orthogonal and share Σ C² = 1.
        for (int k = 0; k < d3; ++k)
          for (int kk = 0; kk < d3; ++kk) {
            double s = 0;
            for (int ij = 0; ij < d12; ++ij)
              s += C[ij * d3 + k] * C[ij * d3 + kk];
            EXPECT_NEAR(s, k == kk ? 1.0 / d3 : 0.0, kTol);
          }
      }
  EXPECT_TRUE(comformer::wigner_3j(0, 1, 2).empty());
}

TEST(ComformerSo3, CouplingIsRotationInvariantInTheHarmonicsBasis) {
  // f(r1, r2, r3) = Σ C_ijk Y^l1_i(r1) Y^l2_j(r2) Y^l3_k(r3) is invariant under rotations iff C
  // couples the harmonics' own basis (a wrong ordering or sign convention breaks it), and under
  // inversion iff l1 + l2 + l3 is even (the parity rule the tensor product relies on).
  Rng rng(9);
  for (int l1 = 0; l1 <= 2; ++l1)
    for (int l2 = 0; l2 <= 2; ++l2)
      for (int l3 = std::abs(l1 - l2); l3 <= std::min(l1 + l2, 2); ++l3) {
        SCOPED_TRACE(testing::Message() << l1 << " ⊗ " << l2 << " → " << l3);
        const auto C = comformer::wigner_3j(l1, l2, l3);
        const int d2 = 2 * l2 + 1, d3 = 2 * l3 + 1;
        auto f = [&](const std::array<double, 3>& a, const std::array<double, 3>& b,
                     const std::array<double, 3>& c) {
          const auto ya = sh(l1, a), yb = sh(l2, b), yc = sh(l3, c);
          double s = 0;
          for (std::size_t i = 0; i < ya.size(); ++i)
            for (int j = 0; j < d2; ++j)
              for (int k = 0; k < d3; ++k)
                s += C[(i * d2 + j) * d3 + k] * ya[i] * yb[j] * yc[k];
          return s;
        };
        double largest = 0;
        for (int trial = 0; trial < 5; ++trial) {
          const auto a = random_vector(rng), b = random_vector(rng), c = random_vector(rng);
          const Mat3d R = random_rotation(100 + trial);
          const double ref = f(a, b, c);
          largest = std::max(largest, std::abs(ref));
          EXPECT_NEAR(f(apply(R, a), apply(R, b), apply(R, c)), ref, kTol);
          const std::array<double, 3> na = {-a[0], -a[1], -a[2]}, nb = {-b[0], -b[1], -b[2]},
                                      nc = {-c[0], -c[1], -c[2]};
          const double parity = ((l1 + l2 + l3) % 2 == 0) ? 1.0 : -1.0;
          EXPECT_NEAR(f(na, nb, nc), parity * ref, kTol);
        }
        EXPECT_GT(largest, 1e-3) << "the coupling must not vanish";
      }
}

}  // namespace
}  // namespace pf::test
