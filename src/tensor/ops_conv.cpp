// conv3d: blocked im2col + GEMM (kernels/conv.hpp); the gradients reuse the same blocks.
#include "tensor/ops_conv.hpp"

#include "kernels/conv.hpp"
#include "kernels/gemm.hpp"
#include "kernels/reduce.hpp"

#include <algorithm>
#include <string>

namespace pf {

namespace {

std::string conv3d_call(const Shape& x, const Shape& w, const Shape& b, Index stride,
                        Index padding) {
  return "conv3d(x " + to_string(x) + ", weight " + to_string(w) + ", bias " + to_string(b) +
         ", stride " + std::to_string(stride) + ", padding " + std::to_string(padding) + ")";
}

kern::Conv3dGeom conv3d_geometry(const Shape& x, const Shape& w, const Shape& b, bool has_bias,
                                 Index stride, Index padding) {
  const auto fail = [&](const std::string& why) {
    throw ShapeError(conv3d_call(x, w, b, stride, padding) + ": " + why);
  };
  if (x.size() != 5) fail("x must be [B, X, Y, Z, Cin]");
  if (w.size() != 5) fail("weight must be [Cout, Cin, kx, ky, kz]");
  if (w[1] != x[4]) fail("weight's Cin differs from x's channels");
  if (has_bias && (b.size() != 1 || b[0] != w[0])) fail("bias must be [Cout]");
  if (stride < 1 || padding < 0) fail("stride must be ≥ 1 and padding ≥ 0");
  kern::Conv3dGeom g;
  g.B = x[0], g.X = x[1], g.Y = x[2], g.Z = x[3], g.Cin = x[4];
  g.Cout = w[0], g.KX = w[2], g.KY = w[3], g.KZ = w[4];
  g.stride = stride, g.pad = padding;
  const auto out_extent = [&](Index n, Index k) {
    const Index span = n + 2 * padding - k;
    if (k < 1 || span < 0) fail("kernel larger than the padded input");
    return span / stride + 1;
  };
  g.OX = out_extent(g.X, g.KX), g.OY = out_extent(g.Y, g.KY), g.OZ = out_extent(g.Z, g.KZ);
  return g;
}

// Output rows per im2col block. On the host the buffer [rows, taps·Cin] is kept near L2 size
// (256 Ki elements: the 64³ layers ran ~20% faster than with 4 Mi) so BLAS packs it from cache,
// with at least 256 rows, so that BLAS's packing of the weight [Cout, taps·Cin] on every call is
// spread over enough outputs. A GPU wants large GEMMs instead: there the buffer may grow to the
// larger of the input and the output (at least 4 Mi elements).
Index block_rows(const kern::Conv3dGeom& g) {
  const Index K = std::max<Index>(1, g.taps() * g.Cin);
  const Index rows =
      kHostAccessible
          ? std::max<Index>(256, (Index(1) << 18) / K)
          : std::max({g.in_points() * g.Cin, g.out_points() * g.Cout, Index(1) << 22}) / K;
  return std::clamp<Index>(rows, 1, std::max<Index>(1, g.out_points()));
}

template <class T>
Vec<T> scratch(const std::string& label, Index n) {
  return Vec<T>(Kokkos::view_alloc(Kokkos::WithoutInitializing, label), n);
}

}  // namespace

template <class T>
Tensor<T> conv3d(const Tensor<T>& x, const Tensor<T>& weight, const Tensor<T>& bias, Index stride,
                 Index padding) {
  const kern::Conv3dGeom g =
      conv3d_geometry(x.shape(), weight.shape(), bias.defined() ? bias.shape() : Shape{},
                      bias.defined(), stride, padding);
  const Index P = g.out_points(), K = g.taps() * g.Cin, rows = block_rows(g);
  Tensor<T> out = Tensor<T>::empty({g.B, g.OX, g.OY, g.OZ, g.Cout});
  const Vec<T> vout = out.data(), vx = x.data();
  const Vec<T> wr = scratch<T>("pf::conv::packed_weight", g.Cout * K);
  kern::conv_pack_weight<T>(weight.data(), wr, g);
  kern::conv_init_output<T>(bias.defined() ? bias.data() : Vec<T>(), vout, P, g.Cout);
  if (K > 0) {
    const Vec<T> col = scratch<T>("pf::conv::col", std::min(rows, P) * K);
    for (Index p0 = 0; p0 < P; p0 += rows) {
      const Index n = std::min(rows, P - p0);
      kern::conv_im2col<T>(vx, col, g, p0, n);
      kern::GemmShape s;  // out[p0.., Cout] += col [n, K] · wrᵀ
      s.trans_b = true, s.m = n, s.n = g.Cout, s.k = K;
      kern::gemm<T>(s, T(1), col.data(), wr.data(), T(1), vout.data() + p0 * g.Cout);
    }
  }
  if (!any_requires_grad<T>({&x, &weight, &bias})) return out;
  // The weight gradient reads x, the input gradient the packed weight: keep only what is needed.
  const Vec<T> saved_x = any_requires_grad<T>({&weight}) ? vx : Vec<T>();
  const Vec<T> saved_wr = any_requires_grad<T>({&x}) ? wr : Vec<T>();
  return record<T>(
      "conv3d", out, {&x, &weight, &bias}, [=](const Vec<T>& gout, const std::vector<Vec<T>>& gin) {
        const bool want_x = gin[0].extent(0) > 0, want_w = gin[1].extent(0) > 0;
        if (gin[2].extent(0)) {
          const Index dims[2] = {P, g.Cout};
          const bool reduce[2] = {true, false};
          kern::sum_reduce<T>(gout, gin[2], kern::make_reduce_plan(2, dims, reduce), T(1), true);
        }
        if ((!want_x && !want_w) || K == 0) return;
        const Vec<T> col = scratch<T>("pf::conv::col", std::min(rows, P) * K);
        Vec<T> gwr;
        if (want_w) gwr = Vec<T>("pf::conv::packed_weight_grad", g.Cout * K);
        for (Index p0 = 0; p0 < P; p0 += rows) {
          const Index n = std::min(rows, P - p0);
          const T* g_blk = gout.data() + p0 * g.Cout;
          if (want_w) {
            kern::conv_im2col<T>(saved_x, col, g, p0, n);
            kern::GemmShape s;  // gwr [Cout, K] += g_blkᵀ [Cout, n] · col [n, K]
            s.trans_a = true, s.m = g.Cout, s.n = K, s.k = n;
            kern::gemm<T>(s, T(1), g_blk, col.data(), T(1), gwr.data());
          }
          if (want_x) {
            kern::GemmShape s;  // col [n, K] = g_blk [n, Cout] · wr [Cout, K]
            s.m = n, s.n = K, s.k = g.Cout;
            kern::gemm<T>(s, T(1), g_blk, saved_wr.data(), T(0), col.data());
            for (Index t = 0; t < g.taps(); ++t)
              kern::conv_col2im_tap<T>(col, gin[0], g, p0, n, t);
          }
        }
        if (want_w) kern::conv_unpack_weight_grad<T>(gwr, gin[1], g);
      });
}

#define PF_INSTANTIATE(T) \
  template Tensor<T> conv3d(const Tensor<T>&, const Tensor<T>&, const Tensor<T>&, Index, Index);
PF_INSTANTIATE(float)
PF_INSTANTIATE(double)
#undef PF_INSTANTIATE

}  // namespace pf
