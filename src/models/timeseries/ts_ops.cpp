#include "models/timeseries/ts_ops.hpp"

#include "kernels/channel_linear.hpp"
#include "kernels/dropout.hpp"
#include "kernels/elementwise.hpp"
#include "kernels/head_attention.hpp"

#include <algorithm>
#include <numeric>

namespace pf::ts {

namespace {
struct NormalCdf {
  static constexpr bool kUsesOutput = false;
  template <class T>
  KOKKOS_INLINE_FUNCTION static T f(T x) {
    return T(0.5) * (T(1) + kmath::fast_erf(x * T(0.70710678118654752440)));
  }
  template <class T>
  KOKKOS_INLINE_FUNCTION static T df(T x, T) {
    return kmath::fast_exp(T(-0.5) * x * x) * T(0.39894228040143267794);
  }
};
}  // namespace

template <class T>
Tensor<T> dropout(const Tensor<T>& x, double p, bool training, Rng& rng) {
  if (!training || p <= 0) return x;
  if (p >= 1) return mul(x, Tensor<T>::zeros(x.shape()));
  // One draw from the stream per call seeds the whole mask, so a seeded run repeats.
  const std::uint64_t seed = rng.next_u64();
  const T keep = T(1.0 / (1.0 - p));
  const float pf = float(p);
  Tensor<T> out = Tensor<T>::empty(x.shape());
  kern::dropout_apply<T>(x.data(), out.data(), pf, keep, seed, false);
  return record<T>("dropout", out, {&x}, [=](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
    kern::dropout_apply<T>(g, gin[0], pf, keep, seed, true);
  });
}

template <class T>
Tensor<T> normal_cdf(const Tensor<T>& x) {
  Tensor<T> out = Tensor<T>::empty(x.shape());
  kern::unary_forward<NormalCdf, T>(x.data(), out.data());
  if (!any_requires_grad<T>({&x})) return out;
  const Vec<T> xs = x.data();
  return record<T>("normal_cdf", out, {&x}, [xs](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
    kern::unary_backward<NormalCdf, T>(xs, g, gin[0]);
  });
}

template <class T>
Tensor<T> replicate_pad_end(const Tensor<T>& x, Index count) {
  const Index L = x.dim(-1);
  Shape tail = x.shape();
  tail.back() = count;
  return concat<T>({x, broadcast_to(slice(x, -1, L - 1, L), tail)}, -1);
}

template <class T>
Tensor<T> unfold_last(const Tensor<T>& x, Index size, Index step) {
  const Index L = x.dim(-1);
  if (size < 1 || step < 1 || size > L)
    throw ShapeError("unfold_last: windows of " + std::to_string(size) + " by " +
                     std::to_string(step) + " over a series of " + std::to_string(L));
  const Index n = (L - size) / step + 1;
  std::vector<Index> idx(n * size);
  for (Index w = 0; w < n; ++w)
    for (Index j = 0; j < size; ++j)
      idx[w * size + j] = w * step + j;
  Shape shape = x.shape();
  shape.back() = n;
  shape.push_back(size);
  return reshape(gather(x, -1, make_index(idx)), shape);
}

template <class T>
Tensor<T> head_scores(const Tensor<T>& q, const Tensor<T>& k, T scale) {
  if (q.ndim() != 4 || k.ndim() != 4 || q.dim(0) != k.dim(0) || q.dim(2) != k.dim(2) ||
      q.dim(3) != k.dim(3))
    throw ShapeError("head_scores: q " + to_string(q.shape()) + " and k " + to_string(k.shape()) +
                     " are not [B, S, H, e] and [B, T, H, e]");
  const kern::HeadDims d{q.dim(0), q.dim(1), k.dim(1), q.dim(2), q.dim(3)};
  Tensor<T> out = Tensor<T>::empty({d.b, d.h, d.s, d.t});
  kern::head_scores<T>(q.data(), k.data(), out.data(), d, scale);
  if (!any_requires_grad<T>({&q, &k})) return out;
  const Vec<T> qv = q.data(), kv = k.data();
  return record<T>("head_scores", out, {&q, &k},
                   [=](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
                     if (gin[0].extent(0)) kern::head_scores_grad_q<T>(g, kv, gin[0], d, scale);
                     if (gin[1].extent(0)) kern::head_scores_grad_k<T>(g, qv, gin[1], d, scale);
                   });
}

template <class T>
Tensor<T> head_mix(const Tensor<T>& a, const Tensor<T>& v) {
  if (a.ndim() != 4 || v.ndim() != 4 || a.dim(0) != v.dim(0) || a.dim(1) != v.dim(2) ||
      a.dim(3) != v.dim(1))
    throw ShapeError("head_mix: a " + to_string(a.shape()) + " and v " + to_string(v.shape()) +
                     " are not [B, H, S, T] and [B, T, H, e]");
  const kern::HeadDims d{a.dim(0), a.dim(2), a.dim(3), a.dim(1), v.dim(3)};
  Tensor<T> out = Tensor<T>::empty({d.b, d.s, d.h, d.e});
  kern::head_mix<T>(a.data(), v.data(), out.data(), d);
  if (!any_requires_grad<T>({&a, &v})) return out;
  const Vec<T> av = a.data(), vv = v.data();
  return record<T>("head_mix", out, {&a, &v}, [=](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
    if (gin[0].extent(0)) kern::head_mix_grad_a<T>(g, vv, gin[0], d);
    if (gin[1].extent(0)) kern::head_mix_grad_v<T>(av, g, gin[1], d);
  });
}

template <class T>
Tensor<T> channel_linear(const Tensor<T>& x, const Tensor<T>& w) {
  if (x.ndim() < 2 || w.ndim() != 3 || x.dim(-2) != w.dim(0) || x.dim(-1) != w.dim(1))
    throw ShapeError("channel_linear: x " + to_string(x.shape()) + " and w " +
                     to_string(w.shape()) + " are not [..., N, D] and [N, D, E]");
  const Index n = w.dim(0), d = w.dim(1), e = w.dim(2), rows = x.numel() / (n * d);
  Shape shape = x.shape();
  shape.back() = e;
  Tensor<T> out = Tensor<T>::empty(shape);
  kern::channel_linear<T>(x.data(), w.data(), out.data(), rows, n, d, e);
  if (!any_requires_grad<T>({&x, &w})) return out;
  const Vec<T> xv = x.data(), wv = w.data();
  return record<T>("channel_linear", out, {&x, &w},
                   [=](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
                     if (gin[0].extent(0))
                       kern::channel_linear_grad_x<T>(g, wv, gin[0], rows, n, d, e);
                     if (gin[1].extent(0))
                       kern::channel_linear_grad_w<T>(xv, g, gin[1], rows, n, d, e);
                   });
}

std::vector<Index> topk_rows(const std::vector<float>& values, Index rows, Index cols, Index k) {
  std::vector<Index> out(rows * k), order(cols);
  for (Index r = 0; r < rows; ++r) {
    std::iota(order.begin(), order.end(), Index(0));
    const float* v = values.data() + r * cols;
    std::partial_sort(order.begin(), order.begin() + k, order.end(),
                      [v](Index a, Index b) { return v[a] > v[b] || (v[a] == v[b] && a < b); });
    std::copy(order.begin(), order.begin() + k, out.begin() + r * k);
  }
  return out;
}

#define PF_INSTANTIATE(T)                                                \
  template Tensor<T> dropout(const Tensor<T>&, double, bool, Rng&);      \
  template Tensor<T> normal_cdf(const Tensor<T>&);                       \
  template Tensor<T> replicate_pad_end(const Tensor<T>&, Index);         \
  template Tensor<T> unfold_last(const Tensor<T>&, Index, Index);        \
  template Tensor<T> head_scores(const Tensor<T>&, const Tensor<T>&, T); \
  template Tensor<T> head_mix(const Tensor<T>&, const Tensor<T>&);       \
  template Tensor<T> channel_linear(const Tensor<T>&, const Tensor<T>&);
PF_INSTANTIATE(float)
PF_INSTANTIATE(double)
#undef PF_INSTANTIATE

}  // namespace pf::ts
