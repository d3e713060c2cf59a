#include "models/comformer/so3.hpp"

#include "core/error.hpp"
#include "kernels/crystal.hpp"

#include <cmath>
#include <complex>
#include <string>

namespace pf::comformer {
namespace {

double factorial(int n) {
  double f = 1;
  for (int k = 2; k <= n; ++k)
    f *= k;
  return f;
}

using Complex = std::complex<double>;

// Q(l)[l + m, c]: the complex harmonic of order m in terms of the real ones c (the standard
// real form, times (−i)ˡ so that the coupling tensors come out real), as e3nn defines it.
std::vector<Complex> real_to_complex(int l) {
  const int d = 2 * l + 1;
  std::vector<Complex> q(d * d, 0.0);
  const double s = 1.0 / std::sqrt(2.0);
  const Complex i(0, 1);
  for (int m = -l; m < 0; ++m) {
    q[(l + m) * d + (l - m)] = s;
    q[(l + m) * d + (l + m)] = -i * s;
  }
  q[l * d + l] = 1;
  for (int m = 1; m <= l; ++m) {
    const double sign = (m % 2 == 0) ? 1.0 : -1.0;
    q[(l + m) * d + (l + m)] = sign * s;
    q[(l + m) * d + (l - m)] = i * sign * s;
  }
  Complex phase = 1;
  for (int k = 0; k < l; ++k)
    phase *= -i;
  for (Complex& v : q)
    v *= phase;
  return q;
}

}  // namespace

double clebsch_gordan(int j1, int m1, int j2, int m2, int j3, int m3) {
  if (m3 != m1 + m2 || j3 < std::abs(j1 - j2) || j3 > j1 + j2 || std::abs(m1) > j1 ||
      std::abs(m2) > j2 || std::abs(m3) > j3)
    return 0.0;
  const double pre = std::sqrt((2 * j3 + 1) * factorial(j3 + j1 - j2) * factorial(j3 - j1 + j2) *
                               factorial(j1 + j2 - j3) / factorial(j1 + j2 + j3 + 1)) *
                     std::sqrt(factorial(j3 + m3) * factorial(j3 - m3) * factorial(j1 - m1) *
                               factorial(j1 + m1) * factorial(j2 - m2) * factorial(j2 + m2));
  double sum = 0;
  for (int k = 0; k <= j1 + j2 - j3; ++k) {
    const int a = j1 + j2 - j3 - k, b = j1 - m1 - k, c = j2 + m2 - k, d = j3 - j2 + m1 + k,
              e = j3 - j1 - m2 + k;
    if (a < 0 || b < 0 || c < 0 || d < 0 || e < 0) continue;
    const double term = 1.0 / (factorial(k) * factorial(a) * factorial(b) * factorial(c) *
                               factorial(d) * factorial(e));
    sum += (k % 2 == 0) ? term : -term;
  }
  return pre * sum;
}

std::vector<double> wigner_3j(int l1, int l2, int l3) {
  if (l3 < std::abs(l1 - l2) || l3 > l1 + l2) return {};
  const int d1 = 2 * l1 + 1, d2 = 2 * l2 + 1, d3 = 2 * l3 + 1;
  const std::vector<Complex> q1 = real_to_complex(l1), q2 = real_to_complex(l2),
                             q3 = real_to_complex(l3);
  // C_real[a, b, c] = Σ Q1[i, a] Q2[k, b] conj(Q3[n, c]) CG[i, k, n] over complex orders.
  std::vector<double> out(d1 * d2 * d3);
  double norm2 = 0;
  for (int a = 0; a < d1; ++a)
    for (int b = 0; b < d2; ++b)
      for (int c = 0; c < d3; ++c) {
        Complex acc = 0;
        for (int i = 0; i < d1; ++i)
          for (int k = 0; k < d2; ++k) {
            const int n = i - l1 + k - l2 + l3;  // m3 = m1 + m2
            if (n < 0 || n >= d3) continue;
            acc += q1[i * d1 + a] * q2[k * d2 + b] * std::conj(q3[n * d3 + c]) *
                   clebsch_gordan(l1, i - l1, l2, k - l2, l3, n - l3);
          }
        if (std::abs(acc.imag()) > 1e-12)
          throw ShapeError("wigner_3j(" + std::to_string(l1) + ", " + std::to_string(l2) + ", " +
                           std::to_string(l3) + "): the real basis left an imaginary part");
        out[(a * d2 + b) * d3 + c] = acc.real();
        norm2 += acc.real() * acc.real();
      }
  const double inv = 1.0 / std::sqrt(norm2);
  for (double& v : out)
    v *= inv;
  return out;
}

void spherical_harmonics(const double r[3], double out[kShDim]) {
  kern::spherical_harmonics_l2(r[0], r[1], r[2], out);
}

template <class T>
Tensor<T> spherical_harmonics(const Tensor<T>& r) {
  if (r.ndim() != 2 || r.dim(1) != 3)
    throw ShapeError("spherical_harmonics: expected r [E, 3], found " + to_string(r.shape()));
  const Index E = r.dim(0);
  Tensor<T> out = Tensor<T>::empty({E, kShDim});
  kern::spherical_harmonics_rows<T>(r.data(), out.data(), E);
  return out;
}

template Tensor<float> spherical_harmonics(const Tensor<float>&);
template Tensor<double> spherical_harmonics(const Tensor<double>&);

}  // namespace pf::comformer
