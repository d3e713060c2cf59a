#include "models/factformer/features.hpp"

#include <cmath>

namespace pf::factformer {

namespace {
// ATen's linspace kernel in fp32: fp32 step, the first half counted from the start, the second
// half back from the end (so the last value is exactly `end` in fp32).
std::vector<float> linspace(double start_d, double end_d, Index n) {
  std::vector<float> p(static_cast<size_t>(n));
  const float start = static_cast<float>(start_d), end = static_cast<float>(end_d);
  if (n == 1) {
    p[0] = start;
    return p;
  }
  const float step = (end - start) / static_cast<float>(n - 1);
  const Index halfway = n / 2;
  for (Index i = 0; i < n; ++i)
    p[size_t(i)] = i < halfway ? start + step * float(i) : end - step * float(n - i - 1);
  return p;
}
}  // namespace

std::vector<float> grid_coordinates(Index n, double length) {
  return linspace(0.0, length, n);
}

std::vector<float> padded_grid_coordinates(Index n, double length, Index pad) {
  std::vector<float> p = linspace(0.0, length, n);
  if (pad > 0) {
    const double dx = length / double(n);
    const std::vector<float> tail = linspace(length + dx, length + double(pad) * dx, pad);
    p.insert(p.end(), tail.begin(), tail.end());
  }
  return p;
}

template <class T>
Tensor<T> fourier_features(const std::vector<std::vector<float>>& axes, const Tensor<T>& b) {
  const Index d = Index(axes.size()), f = b.dim(1);
  const std::vector<T> bh = b.to_host();
  const double two_pi = 2.0 * 3.14159265358979323846;
  // per-axis tables sin/cos(2π p_a B[a, k]) [n_a, F]
  std::vector<std::vector<double>> sa(static_cast<size_t>(d)), ca(static_cast<size_t>(d));
  for (Index a = 0; a < d; ++a) {
    const std::vector<float>& p = axes[size_t(a)];
    sa[size_t(a)].resize(p.size() * size_t(f));
    ca[size_t(a)].resize(p.size() * size_t(f));
    for (size_t i = 0; i < p.size(); ++i)
      for (Index k = 0; k < f; ++k) {
        const double ang = two_pi * double(p[i]) * double(bh[size_t(a * f + k)]);
        sa[size_t(a)][i * size_t(f) + size_t(k)] = std::sin(ang);
        ca[size_t(a)][i * size_t(f) + size_t(k)] = std::cos(ang);
      }
  }
  // sin/cos of the summed angles over every axis but the last, by the addition theorem
  std::vector<double> s = sa[0], c = ca[0];
  for (Index a = 1; a + 1 < d; ++a) {
    const size_t n = axes[size_t(a)].size(), rows = s.size() / size_t(f);
    std::vector<double> s2(rows * n * size_t(f)), c2(s2.size());
    for (size_t r = 0; r < rows; ++r)
      for (size_t j = 0; j < n; ++j)
        for (Index k = 0; k < f; ++k) {
          const size_t o = r * size_t(f) + size_t(k), q = j * size_t(f) + size_t(k);
          const size_t t = (r * n + j) * size_t(f) + size_t(k);
          s2[t] = s[o] * ca[size_t(a)][q] + c[o] * sa[size_t(a)][q];
          c2[t] = c[o] * ca[size_t(a)][q] - s[o] * sa[size_t(a)][q];
        }
    s.swap(s2);
    c.swap(c2);
  }
  // the last axis combined straight into the features [points, 2F]
  const std::vector<double>&sl = sa[size_t(d - 1)], &cl = ca[size_t(d - 1)];
  const size_t rows = d > 1 ? s.size() / size_t(f) : 1, n = axes[size_t(d - 1)].size();
  std::vector<T> out(rows * n * 2 * size_t(f));
  for (size_t r = 0; r < rows; ++r)
    for (size_t j = 0; j < n; ++j) {
      T* row = out.data() + (r * n + j) * 2 * size_t(f);
      for (Index k = 0; k < f; ++k) {
        const size_t o = r * size_t(f) + size_t(k), q = j * size_t(f) + size_t(k);
        const double s0 = d > 1 ? s[o] : 0.0, c0 = d > 1 ? c[o] : 1.0;
        row[k] = T(s0 * cl[q] + c0 * sl[q]);
        row[f + k] = T(c0 * cl[q] - s0 * sl[q]);
      }
    }
  Shape shape;
  for (const auto& p : axes)
    shape.push_back(Index(p.size()));
  shape.push_back(2 * f);
  return Tensor<T>::from_host(shape, out);
}
template Tensor<float> fourier_features<float>(const std::vector<std::vector<float>>&,
                                               const Tensor<float>&);
template Tensor<double> fourier_features<double>(const std::vector<std::vector<float>>&,
                                                 const Tensor<double>&);

std::pair<Tensor<float>, Tensor<float>> rotary_tables(const std::vector<float>& p,
                                                      const Tensor<float>& inv_freq) {
  const Index n = Index(p.size()), half = inv_freq.numel(), dk = 2 * half;
  const std::vector<float> inv = inv_freq.to_host();
  std::vector<float> c(size_t(n * dk)), s(c.size());
  for (Index i = 0; i < n; ++i) {
    const float t = p[size_t(i)] * 64.0f;  // scale / min_freq = 1 / (1/64)
    for (Index j = 0; j < half; ++j) {
      const float theta = t * inv[size_t(j)];
      const float ct = float(std::cos(double(theta))), st = float(std::sin(double(theta)));
      c[size_t(i * dk + j)] = c[size_t(i * dk + half + j)] = ct;
      s[size_t(i * dk + j)] = s[size_t(i * dk + half + j)] = st;
    }
  }
  return {Tensor<float>::from_host({n, dk}, c), Tensor<float>::from_host({n, dk}, s)};
}

Tensor<float> rotary_inv_freq(Index kernel_dim) {
  std::vector<float> inv(size_t(kernel_dim / 2));
  for (Index m = 0; m < kernel_dim / 2; ++m) {
    const float e = float(2 * m) / float(kernel_dim);
    inv[size_t(m)] = 1.0f / std::pow(10000.0f, e);
  }
  return Tensor<float>::from_host({kernel_dim / 2}, inv);
}

}  // namespace pf::factformer
