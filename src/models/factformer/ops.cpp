#include "models/factformer/ops.hpp"

#include "core/error.hpp"
#include "kernels/bias.hpp"
#include "kernels/elementwise.hpp"
#include "kernels/factformer.hpp"
#include "kernels/gemm.hpp"
#include "kernels/norm.hpp"
#include "models/factformer/features.hpp"
#include "tensor/ops.hpp"

#include <algorithm>

namespace pf::factformer {

template <class T>
Tensor<T> geglu(const Tensor<T>& x) {
  const Index c2 = x.dim(-1);
  if (c2 % 2 != 0) throw ShapeError("geglu: last axis " + std::to_string(c2) + " is odd");
  return mul(gelu(slice(x, -1, 0, c2 / 2)), slice(x, -1, c2 / 2, c2));
}

template <class T>
Tensor<T> rotary(const Tensor<T>& x, Index heads, const Tensor<T>& cos, const Tensor<T>& sin) {
  if (x.ndim() != 3 || cos.ndim() != 2 || heads < 1 || cos.dim(1) % 2 != 0 ||
      x.dim(2) != heads * cos.dim(1) || cos.dim(0) != x.dim(1) || sin.shape() != cos.shape())
    throw ShapeError("rotary: x " + to_string(x.shape()) + ", cos " + to_string(cos.shape()) +
                     ", sin " + to_string(sin.shape()) + " for " + std::to_string(heads) +
                     " heads (expected [B, n, H·Dk], [n, Dk], [n, Dk], Dk even)");
  const Index b = x.dim(0), n = x.dim(1), dk = cos.dim(1);
  Tensor<T> out = Tensor<T>::empty(x.shape());
  kern::rotary_forward<T>(x.data(), cos.data(), sin.data(), out.data(), b, n, heads, dk);
  const Vec<T> cd = cos.data(), sd = sin.data();
  return record<T>("rotary", out, {&x},
                   [cd, sd, b, n, heads, dk](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
                     kern::rotary_backward<T>(g, cd, sd, gin[0], b, n, heads, dk);
                   });
}

template <class T>
Tensor<T> axis_kernel(const Tensor<T>& q, const Tensor<T>& k, Index heads, T scale) {
  if (q.ndim() != 3 || q.shape() != k.shape() || heads < 1 || q.dim(2) % heads != 0)
    throw ShapeError("axis_kernel: q " + to_string(q.shape()) + ", k " + to_string(k.shape()) +
                     " for " + std::to_string(heads) + " heads (expected equal [B, n, H·Dk])");
  const Index b = q.dim(0), n = q.dim(1), hdk = q.dim(2), dk = hdk / heads;
  Tensor<T> out = Tensor<T>::empty({b, heads, n, n});
  // K[b, h] = scale · q_h k_hᵀ, each head's [n, Dk] block read in place (rows H·Dk apart)
  kern::GemmShape f;
  f.trans_b = true;
  f.m = n, f.n = n, f.k = dk;
  f.stride_a = dk, f.stride_b = dk, f.stride_c = n * n;
  f.batch = heads;
  f.lda = hdk, f.ldb = hdk;
  for (Index i = 0; i < b; ++i)
    kern::gemm<T>(f, scale, q.data().data() + i * n * hdk, k.data().data() + i * n * hdk, T(0),
                  out.data().data() + i * heads * n * n);
  const Vec<T> qd = q.data(), kd = k.data();
  return record<T>(
      "axis_kernel", out, {&q, &k},
      [qd, kd, b, n, hdk, dk, heads, scale](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
        // gq_h += scale · g_h k_h, gk_h += scale · g_hᵀ q_h
        for (int which = 0; which < 2; ++which) {
          if (gin[which].extent(0) == 0) continue;
          kern::GemmShape s;
          s.trans_a = which == 1;
          s.m = n, s.n = dk, s.k = n;
          s.stride_a = n * n, s.stride_b = dk, s.stride_c = dk;
          s.batch = heads;
          s.ldb = hdk, s.ldc = hdk;
          const Vec<T>& other = which == 0 ? kd : qd;
          for (Index i = 0; i < b; ++i)
            kern::gemm<T>(s, scale, g.data() + i * heads * n * n, other.data() + i * n * hdk, T(1),
                          gin[which].data() + i * n * hdk);
        }
      });
}

namespace {

// Sizes of the axial integral over 2 or 3 spatial axes.
struct AxialDims {
  Index b, axes, n[3], h, d;
  Index points() const { return n[0] * n[1] * (axes == 3 ? n[2] : 1); }
  Index hd() const { return h * d; }
  Index head() const { return points() * d; }      // one (sample, head) block, head-major
  Index grid() const { return points() * h * d; }  // one sample
  Index outer(Index a) const {                     // points before axis a in row-major order
    Index o = 1;
    for (Index i = 0; i < a; ++i)
      o *= n[i];
    return o;
  }
  Index inner(Index a) const {  // values after axis a (points × Dh)
    Index o = d;
    for (Index i = a + 1; i < axes; ++i)
      o *= n[i];
    return o;
  }
};

// Rows per block where every head reuses a block of an array shared by the heads (h, gh):
// 1024 rows of C = 128 floats (512 KiB) stay in L2.
constexpr Index kRowBlock = 1024;
// Heads whose values (and value gradients) are held at once: bounds the scratch to
// kHeadGroup [points, Dh] blocks while h is still read only H / kHeadGroup times per layer.
constexpr Index kHeadGroup = 4;

template <class T>
Vec<T> scratch(const std::string& label, Index n) {
  return Vec<T>(Kokkos::view_alloc(Kokkos::WithoutInitializing, label), n);
}

// One (sample, head) of the axial integral: the axis kernels of that head, and the offset of its
// channels in the model's [B, points, H·Dh] arrays (rows H·Dh apart); scratch blocks
// [points, Dh] are contiguous.
template <class T>
struct HeadBlock {
  AxialDims s;
  const T* k[3];       // per axis a: [n_a, n_a]
  Index model_offset;  // of this head's channels in a [B, points, H·Dh] array

  // dst = K_a (or K_aᵀ) applied along axis a: for each of the outer(a) leading index sets,
  // [n_a, n_a] × [n_a, inner(a)]. Only the last axis (inner = Dh) may address the model layout:
  // its source (backward) or destination (forward) rows are then H·Dh apart.
  void contract(Index a, bool trans, const T* src, bool src_model, T* dst, bool dst_model) const {
    const Index na = s.n[a], inner = s.inner(a);
    kern::GemmShape g;
    g.trans_a = trans;
    g.m = na, g.n = inner, g.k = na;
    g.stride_a = 0;
    g.ldb = src_model ? s.hd() : inner, g.ldc = dst_model ? s.hd() : inner;
    g.stride_b = na * g.ldb, g.stride_c = na * g.ldc;
    g.batch = s.outer(a);
    kern::gemm<T>(g, T(1), k[a], src, T(0), dst);
  }
  // gK_a += Σ over the outer index sets of g [n_a, inner] × wᵀ [inner, n_a] (both blocks)
  void kernel_gradient(Index a, const T* g, const T* w, T* gk) const {
    const Index na = s.n[a], inner = s.inner(a);
    kern::GemmShape m;
    m.trans_b = true;
    m.m = na, m.n = na, m.k = inner;
    m.stride_a = na * inner, m.stride_b = na * inner, m.stride_c = 0;
    m.batch = s.outer(a);
    kern::gemm<T>(m, T(1), g, w, T(1), gk);
  }
};

template <class T>
HeadBlock<T> head_block(const AxialDims& s, const std::vector<const T*>& kernels, Index b,
                        Index head) {
  HeadBlock<T> blk{s, {nullptr, nullptr, nullptr}, b * s.grid() + head * s.d};
  for (Index a = 0; a < s.axes; ++a)
    blk.k[a] = kernels[size_t(a)] + (b * s.h + head) * s.n[a] * s.n[a];
  return blk;
}

// v[k] = h_b w_v[head0 + k]ᵀ for `count` heads of sample b into v [count, points, Dh], one block
// of rows at a time so that the block of h stays in cache while every head of the group reads it.
template <class T>
void project_values(const AxialDims& s, Index c, const T* h, const T* w_v, Index b, Index head0,
                    Index count, T* v) {
  const Index points = s.points();
  const T* hb = h + b * points * c;
  kern::GemmShape g;
  g.trans_b = true;
  g.n = s.d, g.k = c;
  for (Index r0 = 0; r0 < points; r0 += kRowBlock) {
    g.m = std::min(kRowBlock, points - r0);
    for (Index k = 0; k < count; ++k)
      kern::gemm<T>(g, T(1), hb + r0 * c, w_v + (head0 + k) * s.d * c, T(0),
                    v + k * s.head() + r0 * s.d);
  }
}

// The axial integral along 2 or 3 axes; kernels holds one [B, H, n_a, n_a] tensor per axis.
template <class T>
Tensor<T> axial_attention_axes(const std::vector<const Tensor<T>*>& kernels, const Tensor<T>& h,
                               const Tensor<T>& w_v, T eps) {
  const Index axes = Index(kernels.size());
  const auto fail = [&] {
    std::string found;
    for (const Tensor<T>* k : kernels)
      found += to_string(k->shape()) + ", ";
    return ShapeError("axial_attention: kernels " + found + "h " + to_string(h.shape()) + ", w_v " +
                      to_string(w_v.shape()) +
                      " (expected [B, H, n_a, n_a] per axis a, [B, n_0, ..., C], [H·Dh, C])");
  };
  if (h.ndim() != axes + 2 || w_v.ndim() != 2 || kernels[0]->ndim() != 4) throw fail();
  const Index heads = kernels[0]->dim(1), c = h.dim(-1), hd = w_v.dim(0);
  if (heads < 1 || hd % heads != 0 || w_v.dim(1) != c) throw fail();
  AxialDims s{h.dim(0), axes, {1, 1, 1}, heads, hd / heads};
  for (Index a = 0; a < axes; ++a) {
    s.n[a] = h.dim(a + 1);
    if (kernels[size_t(a)]->shape() != Shape{s.b, heads, s.n[a], s.n[a]}) throw fail();
  }
  ProfilingRegion region("pf::factformer::axial_attention");
  const Index points = s.points(), chunks = (points + kern::kDomainChunk - 1) / kern::kDomainChunk;
  Shape out_shape = h.shape();
  out_shape.back() = hd;
  Tensor<T> y = Tensor<T>::empty(out_shape);
  std::vector<const T*> kptr;
  for (const Tensor<T>* k : kernels)
    kptr.push_back(k->data().data());
  const Vec<double> partial = scratch<double>("pf::factformer::partial", 2 * s.b * s.h * chunks);
  {
    // per (sample, head): h → v → contracted along x, (y,) ... → last axis into y's channels
    const Index group = std::min(kHeadGroup, s.h);
    const Vec<T> v = scratch<T>("pf::factformer::axial_v", group * s.head());
    const Vec<T> w = scratch<T>("pf::factformer::axial_w", (axes - 1) * s.head());
    for (Index b = 0; b < s.b; ++b)
      for (Index head0 = 0; head0 < s.h; head0 += group) {
        const Index count = std::min(group, s.h - head0);
        project_values<T>(s, c, h.data().data(), w_v.data().data(), b, head0, count, v.data());
        for (Index k = 0; k < count; ++k) {
          const HeadBlock<T> blk = head_block<T>(s, kptr, b, head0 + k);
          const T* src = v.data() + k * s.head();
          for (Index a = 0; a + 1 < axes; ++a) {
            T* dst = w.data() + a * s.head();
            blk.contract(a, false, src, false, dst, false);
            src = dst;
          }
          blk.contract(axes - 1, false, src, false, y.data().data() + blk.model_offset, true);
          // this head's statistics while its block is still in cache
          kern::domain_partial_sums<T>(y.data(), y.data(), partial, s.b, points, s.h, s.d, Vec<T>(),
                                       b, head0 + k);
        }
      }
  }
  // the per-head norm, in place
  const Vec<T> mean("pf::factformer::mean", s.b * s.h), rstd("pf::factformer::rstd", s.b * s.h);
  {
    kern::domain_stats<T>(partial, mean, rstd, s.b * s.h, chunks, points * s.d, double(eps), true);
    kern::domain_normalize<T>(y.data(), mean, rstd, y.data(), s.b, points, s.h, s.d);
  }
  std::vector<Vec<T>> kdata;
  for (const Tensor<T>* k : kernels)
    kdata.push_back(k->data());
  const Vec<T> hdata = h.data(), wvd = w_v.data(), yd = y.data();
  std::vector<const Tensor<T>*> inputs = kernels;
  inputs.insert(inputs.end(), {&h, &w_v});
  return record<T>(
      "axial_attention", y, inputs,
      [s, c, points, chunks, kdata, hdata, wvd, yd, rstd](const Vec<T>& g,
                                                          const std::vector<Vec<T>>& gin) {
        ProfilingRegion region("pf::factformer::axial_attention_backward");
        const Index axes = s.axes;
        const Vec<T>& gh = gin[size_t(axes)];
        const Vec<T>& gwv = gin[size_t(axes + 1)];
        std::vector<const T*> kptr;
        for (const Vec<T>& k : kdata)
          kptr.push_back(k.data());
        const Vec<double> partial =
            scratch<double>("pf::factformer::partial", 2 * s.b * s.h * chunks);
        kern::domain_partial_sums<T>(g, yd, partial, s.b, points, s.h, s.d);
        const Vec<T> coef =
            kern::domain_backward_coefficients<T>(partial, s.b * s.h, chunks, points * s.d, true);
        const bool want_gv = gh.extent(0) > 0 || gwv.extent(0) > 0;
        bool want_gk = false;
        for (Index a = 0; a < axes; ++a)
          want_gk = want_gk || gin[size_t(a)].extent(0) > 0;
        const Index group = std::min(kHeadGroup, s.h);
        // gradients at the integral's output and between contractions (two alternating blocks)
        const Vec<T> gbuf = scratch<T>("pf::factformer::axial_g", 2 * s.head());
        // the forward's intermediate contractions, recomputed when a kernel gradient needs them
        const Vec<T> work =
            scratch<T>("pf::factformer::axial_w", want_gk ? (axes - 1) * s.head() : 0);
        // the group's values (recomputed) and gradients at the values, [group, points, Dh] each
        const Vec<T> v = scratch<T>("pf::factformer::axial_v", group * s.head());
        const Vec<T> gv = scratch<T>("pf::factformer::axial_gv", want_gv ? group * s.head() : 0);
        for (Index b = 0; b < s.b; ++b)
          for (Index head0 = 0; head0 < s.h; head0 += group) {
            const Index count = std::min(group, s.h - head0);
            project_values<T>(s, c, hdata.data(), wvd.data(), b, head0, count, v.data());
            for (Index k = 0; k < count; ++k) {
              const Index head = head0 + k;
              const T* vh = v.data() + k * s.head();
              const HeadBlock<T> blk = head_block<T>(s, kptr, b, head);
              // w[0] = v, w[a + 1] = K_a w[a]: the input of each contraction
              std::vector<const T*> wa{vh};
              if (want_gk)
                for (Index a = 0; a + 1 < axes; ++a) {
                  T* dst = work.data() + a * s.head();
                  blk.contract(a, false, wa.back(), false, dst, false);
                  wa.push_back(dst);
                }
              // gradient at the integral's output, this head's block [points, Dh]
              T* gcur = gbuf.data();
              kern::domain_backward_block<T>(yd, g, coef, rstd, Vec<T>(gcur, size_t(s.head())), b,
                                             head, points, s.h, s.d);
              for (Index a = axes - 1; a >= 0; --a) {
                const Vec<T>& gk = gin[size_t(a)];
                if (gk.extent(0) > 0)
                  blk.kernel_gradient(a, gcur, wa[size_t(a)],
                                      gk.data() + (b * s.h + head) * s.n[a] * s.n[a]);
                if (a == 0) {
                  if (want_gv) blk.contract(0, true, gcur, false, gv.data() + k * s.head(), false);
                } else {
                  T* gnext = gcur == gbuf.data() ? gbuf.data() + s.head() : gbuf.data();
                  blk.contract(a, true, gcur, false, gnext, false);
                  gcur = gnext;
                }
              }
            }
            if (!want_gv) continue;
            // By blocks of rows across the group, so that the block of h (for gw_v) and of gh
            // stay in cache while every head of the group uses them:
            //   gw_v[h] += gv_hᵀ h_b  ([Dh, rows] × [rows, C])
            //   gh_b += gv_h w_v[h]   ([rows, Dh] × [Dh, C])
            const T* hb = hdata.data() + b * points * c;
            for (Index r0 = 0; r0 < points; r0 += kRowBlock) {
              const Index rows = std::min(kRowBlock, points - r0);
              for (Index k = 0; k < count; ++k) {
                const Index head = head0 + k;
                const T* gvh = gv.data() + k * s.head() + r0 * s.d;
                if (gwv.extent(0) > 0) {
                  kern::GemmShape a;
                  a.trans_a = true;
                  a.m = s.d, a.n = c, a.k = rows;
                  kern::gemm<T>(a, T(1), gvh, hb + r0 * c, T(1), gwv.data() + head * s.d * c);
                }
                if (gh.extent(0) > 0) {
                  kern::GemmShape a;
                  a.m = rows, a.n = c, a.k = s.d;
                  kern::gemm<T>(a, T(1), gvh, wvd.data() + head * s.d * c, T(1),
                                gh.data() + (b * points + r0) * c);
                }
              }
            }
          }
      });
}

}  // namespace

template <class T>
Tensor<T> axial_attention(const Tensor<T>& kx, const Tensor<T>& ky, const Tensor<T>& h,
                          const Tensor<T>& w_v, T eps) {
  return axial_attention_axes<T>({&kx, &ky}, h, w_v, eps);
}

template <class T>
Tensor<T> axial_attention(const Tensor<T>& kx, const Tensor<T>& ky, const Tensor<T>& kz,
                          const Tensor<T>& h, const Tensor<T>& w_v, T eps) {
  return axial_attention_axes<T>({&kx, &ky, &kz}, h, w_v, eps);
}
namespace {
// out = a wᵀ (+ bias): a [M, in], w [out, in]
template <class T>
void dense(const T* a, const Vec<T>& w, const Vec<T>& bias, Index m, Index in, Index out, T* y) {
  kern::GemmShape g;
  g.trans_b = true;
  g.m = m, g.n = out, g.k = in;
  kern::gemm<T>(g, T(1), a, w.data(), T(0), y);
  if (bias.extent(0) > 0) kern::add_channel_bias<T>(Vec<T>(y, size_t(m * out)), bias, m, out, 1);
}

// gw += gᵀ a, gbias += Σ_rows g (each only where asked for)
template <class T>
void dense_param_grads(const Vec<T>& g, const T* a, Index m, Index in, Index out, const Vec<T>& gw,
                       const Vec<T>& gb) {
  if (gw.extent(0) > 0) {
    kern::GemmShape s;
    s.trans_a = true;
    s.m = out, s.n = in, s.k = m;
    kern::gemm<T>(s, T(1), g.data(), a, T(1), gw.data());
  }
  if (gb.extent(0) > 0) kern::column_sums_add<T>(g, gb, m, out);
}
}  // namespace

template <class T>
Tensor<T> gelu_linear(const Tensor<T>& x, const Tensor<T>& weight, const Tensor<T>& bias) {
  if (weight.ndim() != 2 || x.ndim() < 1 || x.dim(-1) != weight.dim(1) ||
      (bias.defined() && (bias.ndim() != 1 || bias.dim(0) != weight.dim(0))))
    throw ShapeError("gelu_linear: input " + to_string(x.shape()) + ", weight " +
                     to_string(weight.shape()) + ", bias " + to_string(bias.shape()) +
                     " do not fit (expected [..., in], [out, in], [out])");
  const Index in = weight.dim(1), out_f = weight.dim(0), m = x.numel() / in;
  Shape shape = x.shape();
  shape.back() = out_f;
  Tensor<T> out = Tensor<T>::empty(shape);
  {
    const Vec<T> a = scratch<T>("pf::factformer::gelu", x.numel());
    kern::unary_forward<kern::GeluErf, T>(x.data(), a);
    dense<T>(a.data(), weight.data(), bias.data(), m, in, out_f, out.data().data());
  }
  const Vec<T> xd = x.data(), wd = weight.data();
  return record<T>("gelu_linear", out, {&x, &weight, &bias},
                   [xd, wd, m, in, out_f](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
                     const Vec<T> a = scratch<T>("pf::factformer::gelu", m * in);
                     if (gin[1].extent(0) > 0) kern::unary_forward<kern::GeluErf, T>(xd, a);
                     dense_param_grads<T>(g, a.data(), m, in, out_f, gin[1], gin[2]);
                     if (gin[0].extent(0) > 0) {
                       // ga = g w into the same scratch, then gx += ga · gelu'(x)
                       kern::GemmShape s;
                       s.m = m, s.n = in, s.k = out_f;
                       kern::gemm<T>(s, T(1), g.data(), wd.data(), T(0), a.data());
                       kern::unary_backward<kern::GeluErf, T>(xd, a, gin[0]);
                     }
                   });
}

template <class T>
Tensor<T> layer_norm_linear(const Tensor<T>& x, const Tensor<T>& ln_weight,
                            const Tensor<T>& ln_bias, T eps, const Tensor<T>& weight,
                            const Tensor<T>& bias) {
  const Index in = x.ndim() > 0 ? x.dim(-1) : 0;
  if (x.ndim() < 1 || ln_weight.shape() != Shape{in} || ln_bias.shape() != Shape{in} ||
      weight.ndim() != 2 || weight.dim(1) != in ||
      (bias.defined() && bias.shape() != Shape{weight.dim(0)}))
    throw ShapeError("layer_norm_linear: input " + to_string(x.shape()) + ", norm weight " +
                     to_string(ln_weight.shape()) + ", bias " + to_string(ln_bias.shape()) +
                     ", weight " + to_string(weight.shape()) + ", bias " + to_string(bias.shape()) +
                     " (expected [..., in], [in], [in], [out, in], [out])");
  const Index out_f = weight.dim(0), m = x.numel() / in;
  Shape shape = x.shape();
  shape.back() = out_f;
  Tensor<T> out = Tensor<T>::empty(shape);
  const Vec<T> mean = scratch<T>("pf::factformer::ln_mean", m);
  const Vec<T> rstd = scratch<T>("pf::factformer::ln_rstd", m);
  {
    const Vec<T> n = scratch<T>("pf::factformer::ln_out", x.numel());
    kern::layernorm_forward<T>(x.data(), ln_weight.data(), ln_bias.data(), n, mean, rstd, m, in,
                               eps);
    dense<T>(n.data(), weight.data(), bias.data(), m, in, out_f, out.data().data());
  }
  const Vec<T> xd = x.data(), lw = ln_weight.data(), lb = ln_bias.data(), wd = weight.data();
  return record<T>("layer_norm_linear", out, {&x, &ln_weight, &ln_bias, &weight, &bias},
                   [xd, lw, lb, wd, mean, rstd, m, in, out_f, eps](const Vec<T>& g,
                                                                   const std::vector<Vec<T>>& gin) {
                     const Vec<T> n = scratch<T>("pf::factformer::ln_out", m * in);
                     if (gin[3].extent(0) > 0) {
                       // the normalised rows again (statistics unchanged)
                       const Vec<T> m2 = scratch<T>("pf::factformer::ln_mean", m);
                       const Vec<T> r2 = scratch<T>("pf::factformer::ln_rstd", m);
                       kern::layernorm_forward<T>(xd, lw, lb, n, m2, r2, m, in, eps);
                     }
                     dense_param_grads<T>(g, n.data(), m, in, out_f, gin[3], gin[4]);
                     if (gin[0].extent(0) == 0 && gin[1].extent(0) == 0 && gin[2].extent(0) == 0)
                       return;
                     // gradient at the normalised rows (into the same scratch), then through the
                     // norm
                     kern::GemmShape s;
                     s.m = m, s.n = in, s.k = out_f;
                     kern::gemm<T>(s, T(1), g.data(), wd.data(), T(0), n.data());
                     if (gin[0].extent(0) > 0)
                       kern::layernorm_backward_input<T>(xd, lw, mean, rstd, n, gin[0], m, in);
                     if (gin[1].extent(0) > 0 || gin[2].extent(0) > 0)
                       kern::layernorm_backward_affine<T>(xd, mean, rstd, n, gin[1], gin[2], m, in);
                   });
}

template <class T>
Tensor<T> add_fourier_encoding(const Tensor<T>& u, const std::vector<std::vector<float>>& axes,
                               const Tensor<T>& b_matrix, const Tensor<T>& weight,
                               const Tensor<T>& bias) {
  const Index d = Index(axes.size());
  const Index f2 = 2 * (b_matrix.ndim() == 2 ? b_matrix.dim(1) : 0);
  const Index c = weight.ndim() == 2 ? weight.dim(0) : 0;
  bool grid_ok = u.ndim() == d + 2 && d >= 1;
  for (Index a = 0; grid_ok && a < d; ++a)
    grid_ok = u.dim(a + 1) == Index(axes[size_t(a)].size());
  if (!grid_ok || b_matrix.ndim() != 2 || b_matrix.dim(0) != d || weight.ndim() != 2 ||
      weight.dim(1) != f2 || !bias.defined() || bias.shape() != Shape{c} || u.dim(-1) != c) {
    std::string grid;
    for (const auto& p : axes)
      grid += (grid.empty() ? "" : "×") + std::to_string(p.size());
    throw ShapeError("add_fourier_encoding: u " + to_string(u.shape()) + ", grid " + grid + ", B " +
                     to_string(b_matrix.shape()) + ", weight " + to_string(weight.shape()) +
                     ", bias " + to_string(bias.shape()) +
                     " (expected [B, grid..., C], [axes, F], [C, 2F], [C])");
  }
  const Index batch = u.dim(0), m = u.numel() / (batch * c);
  Tensor<T> out = Tensor<T>::empty(u.shape());
  // the encoding into the first sample's rows, then added to every sample's u
  dense<T>(fourier_features<T>(axes, b_matrix).data().data(), weight.data(), bias.data(), m, f2, c,
           out.data().data());
  kern::add_shared_rows<T>(u.data(), out.data(), batch, m * c);
  return record<T>(
      "add_fourier_encoding", out, {&u, &weight, &bias},
      [axes, b_matrix, batch, m, f2, c](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
        if (gin[0].extent(0) > 0) kern::axpy<T>(T(1), g, gin[0]);
        if (gin[1].extent(0) > 0) {
          const Tensor<T> feat = fourier_features<T>(axes, b_matrix);
          for (Index b = 0; b < batch; ++b)
            dense_param_grads<T>(Vec<T>(g.data() + b * m * c, size_t(m * c)), feat.data().data(), m,
                                 f2, c, gin[1], Vec<T>());
        }
        if (gin[2].extent(0) > 0) kern::column_sums_add<T>(g, gin[2], batch * m, c);
      });
}

template <class T>
Tensor<T> grouped_linear(const Tensor<T>& x, const Tensor<T>& weight, Index groups) {
  const Index cin = x.ndim() > 0 ? x.dim(-1) : 0, cout = weight.ndim() > 0 ? weight.dim(0) : 0;
  if (x.ndim() < 1 || weight.ndim() < 2 || groups < 1 || cin % groups != 0 || cout % groups != 0 ||
      weight.numel() != cout * (cin / groups))
    throw ShapeError("grouped_linear: x " + to_string(x.shape()) + ", weight " +
                     to_string(weight.shape()) + ", " + std::to_string(groups) +
                     " groups (expected weight [Cout, Cin/groups, 1...])");
  const Index rows = x.numel() / cin, gi = cin / groups, go = cout / groups;
  Shape shape = x.shape();
  shape.back() = cout;
  Tensor<T> out = Tensor<T>::empty(shape);
  // out[:, g·go..] = x[:, g·gi..] W_gᵀ, W_g = weight rows g·go.. ([go, gi], contiguous)
  kern::GemmShape f;
  f.trans_b = true;
  f.m = rows, f.n = go, f.k = gi;
  f.stride_a = gi, f.stride_b = go * gi, f.stride_c = go;
  f.batch = groups;
  f.lda = cin, f.ldc = cout;
  kern::gemm<T>(f, T(1), x.data().data(), weight.data().data(), T(0), out.data().data());
  const Vec<T> xd = x.data(), wd = weight.data();
  return record<T>(
      "grouped_linear", out, {&x, &weight},
      [xd, wd, rows, cin, cout, gi, go, groups](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
        if (gin[0].extent(0) > 0) {
          // gx[:, g·gi..] += gy[:, g·go..] W_g
          kern::GemmShape s;
          s.m = rows, s.n = gi, s.k = go;
          s.stride_a = go, s.stride_b = go * gi, s.stride_c = gi;
          s.batch = groups;
          s.lda = cout, s.ldc = cin;
          kern::gemm<T>(s, T(1), g.data(), wd.data(), T(1), gin[0].data());
        }
        if (gin[1].extent(0) > 0) {
          // gW_g += gy[:, g·go..]ᵀ x[:, g·gi..]
          kern::GemmShape s;
          s.trans_a = true;
          s.m = go, s.n = gi, s.k = rows;
          s.stride_a = go, s.stride_b = gi, s.stride_c = go * gi;
          s.batch = groups;
          s.lda = cout, s.ldb = cin;
          kern::gemm<T>(s, T(1), g.data(), xd.data(), T(1), gin[1].data());
        }
      });
}

template <class T>
Tensor<T> domain_group_norm(const Tensor<T>& x, Index groups, T eps, bool unbiased,
                            const Tensor<T>& weight, const Tensor<T>& bias) {
  const bool affine = weight.defined();
  if (x.ndim() < 2 || groups < 1 || x.dim(-1) % groups != 0 || affine != bias.defined() ||
      (affine && (weight.shape() != Shape{x.dim(-1)} || bias.shape() != Shape{x.dim(-1)})))
    throw ShapeError("domain_group_norm: shape " + to_string(x.shape()) + " with " +
                     std::to_string(groups) + " groups, weight " + to_string(weight.shape()) +
                     ", bias " + to_string(bias.shape()));
  ProfilingRegion region("pf::factformer::domain_group_norm");
  const Index b = x.dim(0), c = x.dim(-1), d = c / groups, p = x.numel() / (b * c);
  const Index chunks = (p + kern::kDomainChunk - 1) / kern::kDomainChunk;
  const Vec<T> mean("pf::factformer::mean", b * groups), rstd("pf::factformer::rstd", b * groups);
  {
    const Vec<double> partial = scratch<double>("pf::factformer::partial", 2 * b * groups * chunks);
    kern::domain_partial_sums<T>(x.data(), x.data(), partial, b, p, groups, d);
    kern::domain_stats<T>(partial, mean, rstd, b * groups, chunks, p * d, double(eps), unbiased);
  }
  const Vec<T> y = scratch<T>("pf::factformer::normalized", x.numel());
  kern::domain_normalize<T>(x.data(), mean, rstd, y, b, p, groups, d);
  Tensor<T> out(y, x.shape());
  if (affine) {
    out = Tensor<T>::empty(x.shape());
    kern::channel_affine<T>(y, weight.data(), bias.data(), out.data(), b * p, c);
  }
  const Vec<T> wd = weight.data();
  std::vector<const Tensor<T>*> inputs{&x};
  if (affine) inputs.insert(inputs.end(), {&weight, &bias});
  return record<T>("domain_group_norm", out, inputs,
                   [y, wd, rstd, b, p, c, groups, d, chunks, unbiased](
                       const Vec<T>& g, const std::vector<Vec<T>>& gin) {
                     if (gin.size() == 3) {
                       if (gin[1].extent(0) > 0) kern::column_sums_add<T>(g, gin[1], b * p, c, y);
                       if (gin[2].extent(0) > 0) kern::column_sums_add<T>(g, gin[2], b * p, c);
                     }
                     if (gin[0].extent(0) == 0) return;
                     const Vec<double> part =
                         scratch<double>("pf::factformer::partial", 2 * b * groups * chunks);
                     kern::domain_partial_sums<T>(g, y, part, b, p, groups, d, wd);
                     kern::domain_normalize_backward<T>(y, g, part, rstd, gin[0], b, p, groups, d,
                                                        chunks, unbiased, wd);
                   });
}

template <class T>
Tensor<T> axis_means(const Tensor<T>& x) {
  if (x.ndim() != 4 && x.ndim() != 5)
    throw ShapeError("axis_means: expected [B, X, Y, C] or [B, X, Y, Z, C], found " +
                     to_string(x.shape()));
  const bool three = x.ndim() == 5;
  const Index b = x.dim(0), nx = x.dim(1), ny = x.dim(2), nz = three ? x.dim(3) : 1, c = x.dim(-1);
  Tensor<T> out = Tensor<T>::empty({b, nx + ny + (three ? nz : 0), c});
  kern::axis_means<T>(x.data(), out.data(), b, nx, ny, nz, c, three);
  return record<T>("axis_means", out, {&x},
                   [b, nx, ny, nz, c, three](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
                     kern::axis_means_backward<T>(g, gin[0], b, nx, ny, nz, c, three);
                   });
}

#define PF_INSTANTIATE(T)                                                                          \
  template Tensor<T> geglu<T>(const Tensor<T>&);                                                   \
  template Tensor<T> rotary<T>(const Tensor<T>&, Index, const Tensor<T>&, const Tensor<T>&);       \
  template Tensor<T> axis_kernel<T>(const Tensor<T>&, const Tensor<T>&, Index, T);                 \
  template Tensor<T> axial_attention<T>(const Tensor<T>&, const Tensor<T>&, const Tensor<T>&,      \
                                        const Tensor<T>&, T);                                      \
  template Tensor<T> axial_attention<T>(const Tensor<T>&, const Tensor<T>&, const Tensor<T>&,      \
                                        const Tensor<T>&, const Tensor<T>&, T);                    \
  template Tensor<T> grouped_linear<T>(const Tensor<T>&, const Tensor<T>&, Index);                 \
  template Tensor<T> gelu_linear<T>(const Tensor<T>&, const Tensor<T>&, const Tensor<T>&);         \
  template Tensor<T> layer_norm_linear<T>(const Tensor<T>&, const Tensor<T>&, const Tensor<T>&, T, \
                                          const Tensor<T>&, const Tensor<T>&);                     \
  template Tensor<T> add_fourier_encoding<T>(                                                      \
      const Tensor<T>&, const std::vector<std::vector<float>>&, const Tensor<T>&,                  \
      const Tensor<T>&, const Tensor<T>&);                                                         \
  template Tensor<T> domain_group_norm<T>(const Tensor<T>&, Index, T, bool, const Tensor<T>&,      \
                                          const Tensor<T>&);                                       \
  template Tensor<T> axis_means<T>(const Tensor<T>&);
PF_INSTANTIATE(float)
PF_INSTANTIATE(double)
#undef PF_INSTANTIATE

}  // namespace pf::factformer
