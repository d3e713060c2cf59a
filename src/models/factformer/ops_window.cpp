#include "core/error.hpp"
#include "kernels/factformer.hpp"
#include "kernels/factformer_input.hpp"
#include "kernels/gemm.hpp"
#include "models/factformer/ops.hpp"

#include <algorithm>

namespace pf::factformer {

namespace {
// Rows of the padded grid per block: the block's features ([rows, C1·T], 1 MiB for the smoke
// model) stay in cache between the kernel that writes them and the GEMM that reads them, and
// the full [points, C1·T] array (300 MB at 66³) is never held.
constexpr Index kWindowRows = 1024;

template <class T>
Vec<T> buffer(const std::string& label, Index n) {
  return Vec<T>(Kokkos::view_alloc(Kokkos::WithoutInitializing, label), n);
}
}  // namespace

template <class T>
Tensor<T> window_projection(const Tensor<T>& u, const Tensor<T>& w1, const Tensor<T>& b1,
                            const Tensor<T>& w2, Index pad) {
  const Index fields = u.ndim() == 6 ? u.dim(5) : 0, steps = u.ndim() == 6 ? u.dim(1) : 0;
  const Index c1 = w1.ndim() == 4 ? w1.dim(0) : 0, c = w2.ndim() == 4 ? w2.dim(0) : 0;
  if (u.ndim() != 6 || fields < 1 || c1 < 1 || c1 % fields != 0 ||
      w1.shape() != Shape{c1, 1, 1, 1} || b1.shape() != Shape{c1} ||
      w2.shape() != Shape{c, c1, steps, 1} || pad < 0)
    throw ShapeError("window_projection: u " + to_string(u.shape()) + ", w1 " +
                     to_string(w1.shape()) + ", b1 " + to_string(b1.shape()) + ", w2 " +
                     to_string(w2.shape()) + ", pad " + std::to_string(pad) +
                     " (expected [B, T, X, Y, Z, F], [C1, 1, 1, 1] with F | C1, [C1], "
                     "[C, C1, T, 1], pad >= 0)");
  ProfilingRegion region("pf::factformer::window_projection");
  const kern::PaddedGrid grid{u.dim(0), u.dim(2), u.dim(3), u.dim(4), pad};
  const Index width = c1 * steps, rows = grid.rows();
  Tensor<T> out = Tensor<T>::empty({grid.B, grid.xp(), grid.yp(), grid.zp(), c});
  {
    const Index block = std::min(kWindowRows, rows);
    const Vec<T> pre = buffer<T>("pf::factformer::window_pre", block * width);
    const Vec<T> a = buffer<T>("pf::factformer::window_act", block * width);
    for (Index r0 = 0; r0 < rows; r0 += block) {
      const Index n = std::min(block, rows - r0);
      kern::window_features<T>(u.data(), w1.data(), b1.data(), pre, a, grid, r0, n, steps, fields,
                               c1);
      // out rows = a w2ᵀ, w2 read as [C, C1·T] (its layout [C, C1, T, 1] flattened)
      kern::GemmShape g;
      g.trans_b = true;
      g.m = n, g.n = c, g.k = width;
      kern::gemm<T>(g, T(1), a.data(), w2.data().data(), T(0), out.data().data() + r0 * c);
    }
  }
  const Vec<T> ud = u.data(), w1d = w1.data(), b1d = b1.data(), w2d = w2.data();
  return record<T>(
      "window_projection", out, {&u, &w1, &b1, &w2},
      [ud, w1d, b1d, w2d, grid, width, rows, steps, fields, c1, c](const Vec<T>& g,
                                                                   const std::vector<Vec<T>>& gin) {
        ProfilingRegion region("pf::factformer::window_projection_backward");
        const bool want_first =
            gin[0].extent(0) > 0 || gin[1].extent(0) > 0 || gin[2].extent(0) > 0;
        const Index block = std::min(kWindowRows, rows);
        const Vec<T> pre = buffer<T>("pf::factformer::window_pre", block * width);
        const Vec<T> a = buffer<T>("pf::factformer::window_act", block * width);
        const Vec<T> pu = buffer<T>("pf::factformer::window_pu", want_first ? block * width : 0);
        // per (channel, step) sums of gpre·u and gpre over all rows, folded over steps at the end
        const Vec<T> sum_pu("pf::factformer::window_sum_pu", want_first ? width : 0);
        const Vec<T> sum_p("pf::factformer::window_sum_p", want_first ? width : 0);
        for (Index r0 = 0; r0 < rows; r0 += block) {
          const Index n = std::min(block, rows - r0);
          kern::window_features<T>(ud, w1d, b1d, pre, a, grid, r0, n, steps, fields, c1);
          const T* gb = g.data() + r0 * c;
          if (gin[3].extent(0) > 0) {  // gw2 += g_blockᵀ a
            kern::GemmShape s;
            s.trans_a = true;
            s.m = c, s.n = width, s.k = n;
            kern::gemm<T>(s, T(1), gb, a.data(), T(1), gin[3].data());
          }
          if (!want_first) continue;
          // gradient at the activations, into a: ga = g_block w2
          kern::GemmShape s;
          s.m = n, s.n = width, s.k = c;
          kern::gemm<T>(s, T(1), gb, w2d.data(), T(0), a.data());
          kern::window_features_backward<T>(ud, w1d, pre, a, pu, gin[0], grid, r0, n, steps, fields,
                                            c1);
          kern::column_sums_add<T>(Vec<T>(a.data(), size_t(n * width)), sum_p, n, width);
          kern::column_sums_add<T>(Vec<T>(pu.data(), size_t(n * width)), sum_pu, n, width);
        }
        if (!want_first) return;
        if (gin[1].extent(0) > 0) kern::fold_steps_add<T>(sum_pu, gin[1], c1, steps);
        if (gin[2].extent(0) > 0) kern::fold_steps_add<T>(sum_p, gin[2], c1, steps);
      });
}

template Tensor<float> window_projection<float>(const Tensor<float>&, const Tensor<float>&,
                                                const Tensor<float>&, const Tensor<float>&, Index);
template Tensor<double> window_projection<double>(const Tensor<double>&, const Tensor<double>&,
                                                  const Tensor<double>&, const Tensor<double>&,
                                                  Index);

}  // namespace pf::factformer
