#include "models/factformer/features.hpp"

#include "core/error.hpp"
#include "kernels/factformer.hpp"

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
  if ((d != 2 && d != 3) || b.dim(0) != d)
    throw ShapeError("fourier_features: " + std::to_string(d) + " axes, B " + to_string(b.shape()) +
                     " (expected 2 or 3 axes and B [axes, F])");
  const std::vector<T> bh = b.to_host();
  const double two_pi = 2.0 * 3.14159265358979323846;
  // per-axis rows [sin 2π p_i B[a, :], cos 2π p_i B[a, :]] in fp64, rounded once
  std::vector<T> table;
  for (Index a = 0; a < d; ++a)
    for (const float p : axes[size_t(a)]) {
      std::vector<T> row(size_t(2 * f));
      for (Index k = 0; k < f; ++k) {
        const double ang = two_pi * double(p) * double(bh[size_t(a * f + k)]);
        row[size_t(k)] = T(std::sin(ang));
        row[size_t(f + k)] = T(std::cos(ang));
      }
      table.insert(table.end(), row.begin(), row.end());
    }
  const Index nx = Index(axes[0].size()), ny = Index(axes[1].size());
  const Index nz = d == 3 ? Index(axes[2].size()) : 1;
  const Tensor<T> tab = Tensor<T>::from_host({Index(table.size())}, table);
  Shape shape;
  for (const auto& p : axes)
    shape.push_back(Index(p.size()));
  shape.push_back(2 * f);
  Tensor<T> out = Tensor<T>::empty(shape);
  kern::fourier_from_tables<T>(tab.data(), out.data(), nx, ny, nz, d == 3, f);
  return out;
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
