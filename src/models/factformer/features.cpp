#include "models/factformer/features.hpp"

#include <cmath>

namespace pf::factformer {

std::vector<float> grid_coordinates(Index n, double length) {
  std::vector<float> p(static_cast<size_t>(n));
  if (n == 1) {
    p[0] = 0.0f;
    return p;
  }
  // ATen's linspace kernel: fp32 step, the first half counted from the start, the second
  // half back from the end (so the last value is exactly `length` in fp32).
  const float start = 0.0f, end = static_cast<float>(length);
  const float step = (end - start) / static_cast<float>(n - 1);
  const Index halfway = n / 2;
  for (Index i = 0; i < n; ++i)
    p[size_t(i)] = i < halfway ? start + step * float(i) : end - step * float(n - i - 1);
  return p;
}

template <class T>
Tensor<T> fourier_features(const std::vector<float>& px, const std::vector<float>& py,
                           const Tensor<T>& b) {
  const Index nx = Index(px.size()), ny = Index(py.size()), f = b.dim(1);
  const std::vector<T> bh = b.to_host();
  const double two_pi = 2.0 * 3.14159265358979323846;
  std::vector<double> sx(size_t(nx * f)), cx(sx.size()), sy(size_t(ny * f)), cy(sy.size());
  for (Index i = 0; i < nx; ++i)
    for (Index k = 0; k < f; ++k) {
      const double a = two_pi * double(px[size_t(i)]) * double(bh[size_t(k)]);
      sx[size_t(i * f + k)] = std::sin(a);
      cx[size_t(i * f + k)] = std::cos(a);
    }
  for (Index j = 0; j < ny; ++j)
    for (Index k = 0; k < f; ++k) {
      const double a = two_pi * double(py[size_t(j)]) * double(bh[size_t(f + k)]);
      sy[size_t(j * f + k)] = std::sin(a);
      cy[size_t(j * f + k)] = std::cos(a);
    }
  std::vector<T> out(size_t(nx * ny * 2 * f));
  for (Index i = 0; i < nx; ++i)
    for (Index j = 0; j < ny; ++j) {
      T* row = out.data() + (i * ny + j) * 2 * f;
      for (Index k = 0; k < f; ++k) {
        const double sa = sx[size_t(i * f + k)], ca = cx[size_t(i * f + k)];
        const double sb = sy[size_t(j * f + k)], cb = cy[size_t(j * f + k)];
        row[k] = T(sa * cb + ca * sb);
        row[f + k] = T(ca * cb - sa * sb);
      }
    }
  return Tensor<T>::from_host({nx, ny, 2 * f}, out);
}
template Tensor<float> fourier_features<float>(const std::vector<float>&, const std::vector<float>&,
                                               const Tensor<float>&);
template Tensor<double> fourier_features<double>(const std::vector<float>&,
                                                 const std::vector<float>&, const Tensor<double>&);

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
