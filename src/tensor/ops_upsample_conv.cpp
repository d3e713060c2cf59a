// upsample2_conv3d: the ×2 upsampling + 3×3×3 convolution as a 2×2×2 convolution on the coarse grid
// (kernels/upsample_conv.hpp): fold the weight per parity, convolve with conv3d, shuffle the parity
// channels onto the fine grid. Each step is its own recorded op, so the weight gradient folds back
// to the 27 taps through the fold's adjoint.
#include "kernels/reduce.hpp"
#include "kernels/upsample_conv.hpp"
#include "tensor/ops_conv.hpp"

#include <string>

namespace pf {

namespace {

// weight [Cout, Cin, 3, 3, 3] → [8·Cout, Cin, 2, 2, 2]
template <class T>
Tensor<T> fold_weight(const Tensor<T>& weight) {
  const Index Cout = weight.dim(0), Cin = weight.dim(1);
  Tensor<T> w8 = Tensor<T>::empty({8 * Cout, Cin, 2, 2, 2});
  kern::subpixel_fold_weight<T>(weight.data(), w8.data(), Cout, Cin);
  if (!any_requires_grad<T>({&weight})) return w8;
  return record<T>("upsample2_conv3d_fold", w8, {&weight},
                   [=](const Vec<T>& gw8, const std::vector<Vec<T>>& gin) {
                     kern::subpixel_unfold_weight_grad<T>(gw8, gin[0], Cout, Cin);
                   });
}

// y [B, X+1, Y+1, Z+1, 8·C] → [B, 2X, 2Y, 2Z, C], plus bias [C] when defined
template <class T>
Tensor<T> shuffle(const Tensor<T>& y, const Tensor<T>& bias) {
  kern::SubpixelGeom g;
  g.B = y.dim(0), g.X = y.dim(1) - 1, g.Y = y.dim(2) - 1, g.Z = y.dim(3) - 1, g.C = y.dim(4) / 8;
  Tensor<T> out = Tensor<T>::empty({g.B, 2 * g.X, 2 * g.Y, 2 * g.Z, g.C});
  kern::subpixel_shuffle<T>(y.data(), bias.defined() ? bias.data() : Vec<T>(), out.data(), g);
  if (!any_requires_grad<T>({&y, &bias})) return out;
  return record<T>("upsample2_conv3d_shuffle", out, {&y, &bias},
                   [=](const Vec<T>& gout, const std::vector<Vec<T>>& gin) {
                     if (gin[0].extent(0)) kern::subpixel_unshuffle<T>(gout, gin[0], g);
                     if (gin[1].extent(0)) {
                       const Index dims[2] = {g.fine_points(), g.C};
                       const bool reduce[2] = {true, false};
                       kern::sum_reduce<T>(gout, gin[1], kern::make_reduce_plan(2, dims, reduce),
                                           T(1), true);
                     }
                   });
}

}  // namespace

template <class T>
Tensor<T> upsample2_conv3d(const Tensor<T>& x, const Tensor<T>& weight, const Tensor<T>& bias) {
  const Shape &xs = x.shape(), &ws = weight.shape();
  if (xs.size() != 5 || ws.size() != 5 || ws[1] != xs[4] || ws[2] != 3 || ws[3] != 3 ||
      ws[4] != 3 || (bias.defined() && (bias.ndim() != 1 || bias.dim(0) != ws[0])))
    throw ShapeError("upsample2_conv3d(x " + to_string(xs) + ", weight " + to_string(ws) +
                     ", bias " + (bias.defined() ? to_string(bias.shape()) : std::string("none")) +
                     "): needs x [B, X, Y, Z, Cin], weight [Cout, Cin, 3, 3, 3], bias [Cout]");
  return shuffle(conv3d(x, fold_weight(weight), Tensor<T>(), 1, 1), bias);
}

template Tensor<float> upsample2_conv3d(const Tensor<float>&, const Tensor<float>&,
                                        const Tensor<float>&);
template Tensor<double> upsample2_conv3d(const Tensor<double>&, const Tensor<double>&,
                                         const Tensor<double>&);

}  // namespace pf
