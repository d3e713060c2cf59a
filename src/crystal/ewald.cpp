#include "crystal/ewald.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <cmath>

namespace pf::crystal {
namespace {

constexpr double kPi = 3.14159265358979323846;

double norm2(const Vec3& v) {
  return v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
}

// φ^real per site. Differences are wrapped to [−½, ½) first, so the box of translations
// ceil(r_c/spacing) + 1 wide per axis holds every image within r_c.
std::vector<double> real_space(const Mat3& l, const std::vector<Vec3>& frac,
                               const std::vector<double>& q, double alpha, double cutoff) {
  const std::size_t n = frac.size();
  const Vec3 spacing = plane_spacings(l);
  int range[3];
  for (int k = 0; k < 3; ++k)
    range[k] = static_cast<int>(std::ceil(cutoff / spacing[k])) + 1;
  const double cutoff2 = cutoff * cutoff;
  std::vector<double> phi(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i; j < n; ++j) {
      Vec3 d{};
      for (int k = 0; k < 3; ++k) {
        d[k] = frac[j][k] - frac[i][k];
        d[k] -= std::round(d[k]);
      }
      double sum = 0.0;
      for (int a = -range[0]; a <= range[0]; ++a)
        for (int b = -range[1]; b <= range[1]; ++b)
          for (int c = -range[2]; c <= range[2]; ++c) {
            const Vec3 r = frac_to_cart({d[0] + a, d[1] + b, d[2] + c}, l);
            const double r2 = norm2(r);
            if (r2 > cutoff2) continue;
            if (r2 == 0.0) {
              if (i != j) {
                throw InputError(
                    fmt::format("ewald: atoms {} and {} coincide (the energy is infinite)", i, j));
              }
              continue;  // the atom itself
            }
            const double dist = std::sqrt(r2);
            sum += std::erfc(alpha * dist) / dist;
          }
      // The pair sum is symmetric: i sees q_j·sum and j sees q_i·sum.
      phi[i] += q[j] * sum;
      if (j != i) phi[j] += q[i] * sum;
    }
  }
  return phi;
}

// φ^recip per site over half of the reciprocal vectors (k and −k contribute equally).
std::vector<double> reciprocal_space(const Mat3& l, const std::vector<Vec3>& frac,
                                     const std::vector<double>& q, double alpha, double cutoff) {
  const std::size_t n = frac.size();
  const double volume = std::abs(determinant(l));
  // Rows of B = 2π (L⁻¹)ᵀ: k = m·B, and k·r = 2π m·f.
  const Mat3 inv = inverse(l);
  Mat3 b{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      b[i][j] = 2.0 * kPi * inv[j][i];
  int range[3];
  for (int k = 0; k < 3; ++k)
    range[k] = static_cast<int>(std::floor(cutoff * std::sqrt(norm2(l[k])) / (2.0 * kPi)));
  const double cutoff2 = cutoff * cutoff;
  std::vector<double> phi(n, 0.0), cos_k(n), sin_k(n);
  for (int m0 = 0; m0 <= range[0]; ++m0)
    for (int m1 = -range[1]; m1 <= range[1]; ++m1)
      for (int m2 = -range[2]; m2 <= range[2]; ++m2) {
        // Half space: m0 > 0, or m0 = 0 and m1 > 0, or m0 = m1 = 0 and m2 > 0.
        if (m0 == 0 && (m1 < 0 || (m1 == 0 && m2 <= 0))) continue;
        const Vec3 k = frac_to_cart({double(m0), double(m1), double(m2)}, b);
        const double k2 = norm2(k);
        if (k2 > cutoff2) continue;
        const double weight =
            2.0 * (4.0 * kPi / volume) * std::exp(-k2 / (4.0 * alpha * alpha)) / k2;
        double s_cos = 0.0, s_sin = 0.0;
        for (std::size_t j = 0; j < n; ++j) {
          const double phase = 2.0 * kPi * (m0 * frac[j][0] + m1 * frac[j][1] + m2 * frac[j][2]);
          cos_k[j] = std::cos(phase);
          sin_k[j] = std::sin(phase);
          s_cos += q[j] * cos_k[j];
          s_sin += q[j] * sin_k[j];
        }
        // Σ_j q_j cos(k·(r_j − r_i)) = cos_i S_cos + sin_i S_sin.
        for (std::size_t i = 0; i < n; ++i)
          phi[i] += weight * (cos_k[i] * s_cos + sin_k[i] * s_sin);
      }
  return phi;
}

}  // namespace

EwaldResult ewald_energy(const Mat3& lattice, const std::vector<Vec3>& frac,
                         const std::vector<double>& charges, const EwaldOptions& options) {
  const std::size_t n = frac.size();
  if (charges.size() != n) {
    throw InputError(
        fmt::format("ewald: expected one charge per atom ({}), found {}", n, charges.size()));
  }
  if (!(options.accuracy > 0.0 && options.accuracy < 1.0) || !(options.alpha >= 0.0)) {
    throw InputError(fmt::format("ewald: expected 0 < accuracy < 1 and alpha ≥ 0, found {} and {}",
                                 options.accuracy, options.alpha));
  }
  double total = 0.0, scale = 0.0;
  for (double q : charges) {
    total += q;
    scale += std::abs(q);
  }
  if (std::abs(total) > 1e-9 * std::max(scale, 1.0)) {
    throw InputError(
        fmt::format("ewald: the cell carries a net charge of {} e; only neutral "
                    "cells have a finite energy without a background",
                    total));
  }
  const double volume = std::abs(determinant(lattice));
  EwaldResult result;
  result.alpha = options.alpha > 0.0
                     ? options.alpha
                     : std::sqrt(kPi) * std::pow(double(n) / (volume * volume), 1.0 / 6.0);
  const double s = std::sqrt(-std::log(options.accuracy));
  result.real_cutoff = s / result.alpha;
  result.recip_cutoff = 2.0 * result.alpha * s;
  const auto real = real_space(lattice, frac, charges, result.alpha, result.real_cutoff);
  const auto recip = reciprocal_space(lattice, frac, charges, result.alpha, result.recip_cutoff);
  result.site_energy.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double self = -2.0 * result.alpha / std::sqrt(kPi) * charges[i];
    result.site_energy[i] = 0.5 * charges[i] * (real[i] + recip[i] + self);
    result.energy += result.site_energy[i];
  }
  return result;
}

}  // namespace pf::crystal
