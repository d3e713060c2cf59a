#include "models/factformer/ops.hpp"

#include "core/error.hpp"
#include "kernels/factformer.hpp"
#include "kernels/gemm.hpp"
#include "tensor/ops.hpp"

namespace pf::factformer {

template <class T>
Tensor<T> geglu(const Tensor<T>& x) {
  const Index c2 = x.dim(-1);
  if (c2 % 2 != 0) throw ShapeError("geglu: last axis " + std::to_string(c2) + " is odd");
  return mul(gelu(slice(x, -1, 0, c2 / 2)), slice(x, -1, c2 / 2, c2));
}

template <class T>
Tensor<T> rotary(const Tensor<T>& x, Index heads, const Tensor<T>& cos, const Tensor<T>& sin) {
  const Index b = x.dim(0), n = x.dim(1), dk = cos.dim(1);
  if (x.ndim() != 3 || x.dim(2) != heads * dk || cos.dim(0) != n || sin.shape() != cos.shape())
    throw ShapeError("rotary: x " + to_string(x.shape()) + ", cos " + to_string(cos.shape()) +
                     ", sin " + to_string(sin.shape()) + " for " + std::to_string(heads) +
                     " heads");
  // These tensors are [B, n, H·Dk] with n one axis of the grid: small next to the grid's.
  const Tensor<T> xh = reshape(x, {b, n, heads, 2, dk / 2});
  const Tensor<T> rot = concat<T>({neg(slice(xh, 3, 1, 2)), slice(xh, 3, 0, 1)}, 3);
  const Tensor<T> c = reshape(cos, {n, 1, dk}), s = reshape(sin, {n, 1, dk});
  const Tensor<T> y =
      add(mul(reshape(x, {b, n, heads, dk}), c), mul(reshape(rot, {b, n, heads, dk}), s));
  return reshape(y, {b, n, heads * dk});
}

template <class T>
Tensor<T> axis_kernel(const Tensor<T>& q, const Tensor<T>& k, Index heads, T scale) {
  const Index b = q.dim(0), n = q.dim(1), dk = q.dim(2) / heads;
  const Tensor<T> qh = permute(reshape(q, {b, n, heads, dk}), {0, 2, 1, 3});
  const Tensor<T> kh = permute(reshape(k, {b, n, heads, dk}), {0, 2, 1, 3});
  const Tensor<T> kern = matmul(qh, kh, false, true);
  return scale == T(1) ? kern : pf::scale(kern, scale);
}

namespace {

struct AxialDims {
  Index b, x, y, h, d;
  Index hd() const { return h * d; }
  Index grid() const { return x * y * h * d; }  // one sample of v
};

// w[b, i, m, (h c)] = Σ_j kx[b, h, i, j] v[b, j, m, (h c)]  (β = 0 or 1 into w)
// One GEMM per (b, h, m): [X, X] × [X, Dh] with v's rows Y·H·Dh apart.
template <class T>
void contract_x(const AxialDims& s, const T* kx, bool trans_k, const T* v, T beta, T* w) {
  kern::GemmShape g;
  g.trans_a = trans_k;
  g.m = s.x, g.n = s.d, g.k = s.x;
  g.stride_a = 0, g.stride_b = s.hd(), g.stride_c = s.hd();
  g.batch = s.y;
  g.ldb = s.y * s.hd(), g.ldc = s.y * s.hd();
  for (Index b = 0; b < s.b; ++b)
    for (Index h = 0; h < s.h; ++h)
      kern::gemm<T>(g, T(1), kx + (b * s.h + h) * s.x * s.x, v + b * s.grid() + h * s.d, beta,
                    w + b * s.grid() + h * s.d);
}

// w[b, i, l, (h c)] = Σ_m ky[b, h, l, m] u[b, i, m, (h c)]  (β = 0 or 1 into w)
// One GEMM per (b, h, i): [Y, Y] × [Y, Dh] with rows H·Dh apart.
template <class T>
void contract_y(const AxialDims& s, const T* ky, bool trans_k, const T* u, T beta, T* w) {
  kern::GemmShape g;
  g.trans_a = trans_k;
  g.m = s.y, g.n = s.d, g.k = s.y;
  g.stride_a = 0, g.stride_b = s.y * s.hd(), g.stride_c = s.y * s.hd();
  g.batch = s.x;
  g.ldb = s.hd(), g.ldc = s.hd();
  for (Index b = 0; b < s.b; ++b)
    for (Index h = 0; h < s.h; ++h)
      kern::gemm<T>(g, T(1), ky + (b * s.h + h) * s.y * s.y, u + b * s.grid() + h * s.d, beta,
                    w + b * s.grid() + h * s.d);
}

// gk[b, h] += Σ_r a_r b_rᵀ over the `count` slices r of one head: a_r, b_r [n, Dh] with rows
// `ld` apart and slices `slice` apart. The batch shares C, so the slices accumulate in turn.
template <class T>
void accumulate_kernel_grad(const AxialDims& s, Index n, Index count, Index ld, Index slice,
                            const T* a, const T* bmat, T* gk) {
  kern::GemmShape g;
  g.trans_b = true;
  g.m = n, g.n = n, g.k = s.d;
  g.stride_a = slice, g.stride_b = slice, g.stride_c = 0;
  g.batch = count;
  g.lda = ld, g.ldb = ld;
  for (Index b = 0; b < s.b; ++b)
    for (Index h = 0; h < s.h; ++h)
      kern::gemm<T>(g, T(1), a + b * s.grid() + h * s.d, bmat + b * s.grid() + h * s.d, T(1),
                    gk + (b * s.h + h) * n * n);
}

}  // namespace

template <class T>
Tensor<T> axial_integral(const Tensor<T>& kx, const Tensor<T>& ky, const Tensor<T>& v) {
  if (v.ndim() != 4 || kx.ndim() != 4 || ky.ndim() != 4)
    throw ShapeError("axial_integral: kx " + to_string(kx.shape()) + ", ky " +
                     to_string(ky.shape()) + ", v " + to_string(v.shape()));
  const Index h = kx.dim(1);
  const AxialDims s{v.dim(0), v.dim(1), v.dim(2), h, h > 0 ? v.dim(3) / h : 0};
  if (kx.shape() != Shape{s.b, h, s.x, s.x} || ky.shape() != Shape{s.b, h, s.y, s.y} ||
      v.dim(3) != h * s.d || s.d == 0)
    throw ShapeError("axial_integral: kx " + to_string(kx.shape()) + ", ky " +
                     to_string(ky.shape()) + ", v " + to_string(v.shape()) +
                     " (expected [B, H, X, X], [B, H, Y, Y], [B, X, Y, H·Dh])");
  ProfilingRegion region("pf::factformer::axial_integral");
  Tensor<T> out = Tensor<T>::empty(v.shape());
  {
    // v [B, X, Y, H·Dh] → w [B, X, Y, H·Dh] (x contracted) → out (y contracted)
    Vec<T> w(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::factformer::axial_w"), v.numel());
    contract_x<T>(s, kx.data().data(), false, v.data().data(), T(0), w.data());
    contract_y<T>(s, ky.data().data(), false, w.data(), T(0), out.data().data());
  }
  const Vec<T> kxd = kx.data(), kyd = ky.data(), vd = v.data();
  return record<T>(
      "axial_integral", out, {&kx, &ky, &v},
      [s, kxd, kyd, vd](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
        ProfilingRegion region("pf::factformer::axial_integral_backward");
        const Index n = s.b * s.grid();
        // gw = ky ᵀ-contracted g: the gradient at the intermediate w
        Vec<T> gw(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::factformer::axial_gw"), n);
        contract_y<T>(s, kyd.data(), true, g.data(), T(0), gw.data());
        if (gin[1].extent(0) > 0) {
          // gky[l, m] += Σ_i g_i[l, :] w_i[m, :]ᵀ, with w recomputed from v
          Vec<T> w(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::factformer::axial_w"), n);
          contract_x<T>(s, kxd.data(), false, vd.data(), T(0), w.data());
          accumulate_kernel_grad<T>(s, s.y, s.x, s.hd(), s.y * s.hd(), g.data(), w.data(),
                                    gin[1].data());
        }
        if (gin[2].extent(0) > 0)
          contract_x<T>(s, kxd.data(), true, gw.data(), T(1), gin[2].data());
        if (gin[0].extent(0) > 0)
          // gkx[i, j] += Σ_m gw_m[i, :] v_m[j, :]ᵀ
          accumulate_kernel_grad<T>(s, s.x, s.y, s.y * s.hd(), s.hd(), gw.data(), vd.data(),
                                    gin[0].data());
      });
}

template <class T>
Tensor<T> domain_group_norm(const Tensor<T>& x, Index groups, T eps) {
  if (x.ndim() < 2 || groups < 1 || x.dim(-1) % groups != 0)
    throw ShapeError("domain_group_norm: shape " + to_string(x.shape()) + " with " +
                     std::to_string(groups) + " groups");
  ProfilingRegion region("pf::factformer::domain_group_norm");
  const Index b = x.dim(0), d = x.dim(-1) / groups, p = x.numel() / (b * groups * d);
  const Index chunks = (p + kern::kDomainChunk - 1) / kern::kDomainChunk;
  Vec<double> partial(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::factformer::partial"),
                      2 * b * groups * chunks);
  Vec<T> mean("pf::factformer::mean", b * groups), rstd("pf::factformer::rstd", b * groups);
  kern::domain_partial_sums<T>(x.data(), x.data(), partial, b, p, groups, d);
  kern::domain_stats<T>(partial, mean, rstd, b * groups, chunks, p * d, double(eps));
  Tensor<T> y = Tensor<T>::empty(x.shape());
  kern::domain_normalize<T>(x.data(), mean, rstd, y.data(), b, p, groups, d);
  const Vec<T> yd = y.data();
  return record<T>(
      "domain_group_norm", y, {&x},
      [yd, rstd, b, p, groups, d, chunks](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
        Vec<double> part(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::factformer::partial"),
                         2 * b * groups * chunks);
        kern::domain_partial_sums<T>(g, yd, part, b, p, groups, d);
        kern::domain_normalize_backward<T>(yd, g, part, rstd, gin[0], b, p, groups, d, chunks);
      });
}

template <class T>
Tensor<T> axis_means(const Tensor<T>& x) {
  if (x.ndim() != 4)
    throw ShapeError("axis_means: expected [B, X, Y, C], found " + to_string(x.shape()));
  const Index b = x.dim(0), nx = x.dim(1), ny = x.dim(2), c = x.dim(3);
  Tensor<T> out = Tensor<T>::empty({b, nx + ny, c});
  kern::axis_means<T>(x.data(), out.data(), b, nx, ny, c);
  return record<T>("axis_means", out, {&x},
                   [b, nx, ny, c](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
                     kern::axis_means_backward<T>(g, gin[0], b, nx, ny, c);
                   });
}

#define PF_INSTANTIATE(T)                                                                     \
  template Tensor<T> geglu<T>(const Tensor<T>&);                                              \
  template Tensor<T> rotary<T>(const Tensor<T>&, Index, const Tensor<T>&, const Tensor<T>&);  \
  template Tensor<T> axis_kernel<T>(const Tensor<T>&, const Tensor<T>&, Index, T);            \
  template Tensor<T> axial_integral<T>(const Tensor<T>&, const Tensor<T>&, const Tensor<T>&); \
  template Tensor<T> domain_group_norm<T>(const Tensor<T>&, Index, T);                        \
  template Tensor<T> axis_means<T>(const Tensor<T>&);
PF_INSTANTIATE(float)
PF_INSTANTIATE(double)
#undef PF_INSTANTIATE

}  // namespace pf::factformer
