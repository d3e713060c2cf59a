#include "crystal/lattice.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace pf::crystal {
namespace {

constexpr double kPi = 3.14159265358979323846;

double dot(const Vec3& a, const Vec3& b) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}

// Image ranges per axis that cover every translation within `radius` of a difference already
// wrapped to [-0.5, 0.5]: a translation n along axis i moves a point by at least n · spacing_i.
std::array<int, 3> image_ranges(const Mat3& lattice, double radius) {
  const Vec3 spacing = plane_spacings(lattice);
  std::array<int, 3> range{};
  for (int i = 0; i < 3; ++i)
    range[i] = static_cast<int>(std::ceil(radius / spacing[i])) + 1;
  return range;
}

}  // namespace

Mat3 cell_from_parameters(double a, double b, double c, double alpha, double beta, double gamma) {
  const double ca = std::cos(alpha * kPi / 180.0), cb = std::cos(beta * kPi / 180.0);
  const double cg = std::cos(gamma * kPi / 180.0), sg = std::sin(gamma * kPi / 180.0);
  // Right angles give exact zeros rather than cos(90°) ≈ 6e-17, so orthogonal cells stay so.
  const auto clean = [](double v) { return std::abs(v) < 1e-15 ? 0.0 : v; };
  const double cx = clean(cb);
  const double cy = clean((ca - cb * cg) / sg);
  const double cz2 = 1.0 - cx * cx - cy * cy;
  const double cz = cz2 > 0.0 ? std::sqrt(cz2) : 0.0;
  return {Vec3{a, 0.0, 0.0}, Vec3{b * clean(cg), b * sg, 0.0}, Vec3{c * cx, c * cy, c * cz}};
}

std::array<double, 6> cell_parameters(const Mat3& l) {
  const double a = std::sqrt(dot(l[0], l[0])), b = std::sqrt(dot(l[1], l[1]));
  const double c = std::sqrt(dot(l[2], l[2]));
  const auto angle = [](double cosine) { return std::acos(cosine) * 180.0 / kPi; };
  return {a,
          b,
          c,
          angle(dot(l[1], l[2]) / (b * c)),
          angle(dot(l[0], l[2]) / (a * c)),
          angle(dot(l[0], l[1]) / (a * b))};
}

double determinant(const Mat3& m) {
  return dot(m[0], cross(m[1], m[2]));
}

Mat3 inverse(const Mat3& m) {
  const double det = determinant(m);
  const Vec3 c0 = cross(m[1], m[2]), c1 = cross(m[2], m[0]), c2 = cross(m[0], m[1]);
  Mat3 inv{};
  for (int i = 0; i < 3; ++i) {
    inv[i][0] = c0[i] / det;
    inv[i][1] = c1[i] / det;
    inv[i][2] = c2[i] / det;
  }
  return inv;
}

Mat3 multiply(const Mat3& a, const Mat3& b) {
  Mat3 r{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      r[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
  return r;
}

Vec3 frac_to_cart(const Vec3& f, const Mat3& l) {
  Vec3 r{};
  for (int j = 0; j < 3; ++j)
    r[j] = f[0] * l[0][j] + f[1] * l[1][j] + f[2] * l[2][j];
  return r;
}

Vec3 cart_to_frac(const Vec3& r, const Mat3& inv) {
  return frac_to_cart(r, inv);
}

Vec3 wrap_frac(const Vec3& f) {
  Vec3 w{};
  for (int i = 0; i < 3; ++i) {
    w[i] = f[i] - std::floor(f[i]);
    if (w[i] >= 1.0) w[i] = 0.0;  // -1e-17 wraps to 1.0 in floating point
  }
  return w;
}

Vec3 plane_spacings(const Mat3& l) {
  const double vol = std::abs(determinant(l));
  const Vec3 c0 = cross(l[1], l[2]), c1 = cross(l[2], l[0]), c2 = cross(l[0], l[1]);
  return {vol / std::sqrt(dot(c0, c0)), vol / std::sqrt(dot(c1, c1)), vol / std::sqrt(dot(c2, c2))};
}

double periodic_distance(const Mat3& lattice, const Vec3& fa, const Vec3& fb,
                         double search_radius) {
  Vec3 d{};
  for (int i = 0; i < 3; ++i)
    d[i] = fb[i] - fa[i] - std::round(fb[i] - fa[i]);
  const auto range = image_ranges(lattice, search_radius);
  double best = std::numeric_limits<double>::infinity();
  for (int i = -range[0]; i <= range[0]; ++i)
    for (int j = -range[1]; j <= range[1]; ++j)
      for (int k = -range[2]; k <= range[2]; ++k) {
        const Vec3 r = frac_to_cart({d[0] + i, d[1] + j, d[2] + k}, lattice);
        best = std::min(best, std::sqrt(dot(r, r)));
      }
  return best;
}

ClosePair first_close_pair(const Mat3& lattice, const std::vector<Vec3>& frac, double threshold) {
  const int n = static_cast<int>(frac.size());
  const Vec3 spacing = plane_spacings(lattice);
  std::array<int, 3> bins{};
  for (int k = 0; k < 3; ++k) {
    bins[k] = std::max(1, static_cast<int>(std::floor(spacing[k] / threshold)));
  }
  const auto bin_of = [&](const Vec3& f, int k) {
    const double w = f[k] - std::floor(f[k]);
    return std::min(bins[k] - 1, static_cast<int>(w * bins[k]));
  };
  const auto flat = [&](int a, int b, int c) { return (a * bins[1] + b) * bins[2] + c; };
  std::vector<std::vector<int>> members(static_cast<std::size_t>(bins[0] * bins[1] * bins[2]));
  for (int a = 0; a < n; ++a) {
    members[static_cast<std::size_t>(
                flat(bin_of(frac[a], 0), bin_of(frac[a], 1), bin_of(frac[a], 2)))]
        .push_back(a);
  }
  // Neighbouring bin offsets per axis, without repeats when an axis has fewer than 3 bins.
  std::array<std::vector<int>, 3> offsets;
  for (int k = 0; k < 3; ++k) {
    offsets[k] = bins[k] >= 3   ? std::vector<int>{-1, 0, 1}
                 : bins[k] == 2 ? std::vector<int>{0, 1}
                                : std::vector<int>{0};
  }
  ClosePair best{-1, -1, std::numeric_limits<double>::infinity()};
  for (int j = 0; j < n; ++j) {
    const int b0 = bin_of(frac[j], 0), b1 = bin_of(frac[j], 1), b2 = bin_of(frac[j], 2);
    for (int o0 : offsets[0])
      for (int o1 : offsets[1])
        for (int o2 : offsets[2]) {
          const auto& cell = members[static_cast<std::size_t>(flat((b0 + o0 + bins[0]) % bins[0],
                                                                   (b1 + o1 + bins[1]) % bins[1],
                                                                   (b2 + o2 + bins[2]) % bins[2]))];
          for (int i : cell) {
            if (i >= j) continue;
            const double d = periodic_distance(lattice, frac[i], frac[j], threshold);
            // The first j with a close partner, and its first such i, as a plain double loop
            // would report them.
            if (d < threshold && (best.j < 0 || j < best.j || (j == best.j && i < best.i))) {
              best = {i, j, d};
            }
          }
        }
    if (best.j == j) return best;
  }
  return {-1, -1, std::numeric_limits<double>::infinity()};
}

double shortest_lattice_vector(const Mat3& lattice, double search_radius) {
  const auto range = image_ranges(lattice, search_radius);
  double best = std::numeric_limits<double>::infinity();
  for (int i = -range[0]; i <= range[0]; ++i)
    for (int j = -range[1]; j <= range[1]; ++j)
      for (int k = -range[2]; k <= range[2]; ++k) {
        if (i == 0 && j == 0 && k == 0) continue;
        const Vec3 r = frac_to_cart({double(i), double(j), double(k)}, lattice);
        best = std::min(best, std::sqrt(dot(r, r)));
      }
  return best;
}

}  // namespace pf::crystal
