// upsample_nearest: integer-factor nearest-neighbour upsampling, kernels/upsample.hpp.
#include "kernels/strided.hpp"
#include "kernels/upsample.hpp"
#include "tensor/ops_conv.hpp"

#include <string>

namespace pf {

template <class T>
Tensor<T> upsample_nearest(const Tensor<T>& x, Index factor) {
  const int d = x.ndim() - 2;
  if (d < 1 || d > kern::kMaxRank || factor < 1)
    throw ShapeError("upsample_nearest: input " + to_string(x.shape()) + ", factor " +
                     std::to_string(factor) + ": needs [B, S..., C] with 1 to " +
                     std::to_string(kern::kMaxRank) + " spatial axes and factor ≥ 1");
  kern::UpsampleGeom g;
  g.d = d, g.factor = factor, g.B = x.dim(0), g.C = x.dim(-1);
  Shape out_shape = x.shape();
  for (int a = 0; a < d; ++a) {
    g.dims[a] = x.dim(a + 1);
    out_shape[a + 1] *= factor;
  }
  Tensor<T> out = Tensor<T>::empty(out_shape);
  kern::upsample_nearest_forward<T>(x.data(), out.data(), g);
  if (!any_requires_grad<T>({&x})) return out;
  return record<T>("upsample_nearest", out, {&x},
                   [=](const Vec<T>& gy, const std::vector<Vec<T>>& gin) {
                     kern::upsample_nearest_backward<T>(gy, gin[0], g);
                   });
}

template Tensor<float> upsample_nearest(const Tensor<float>&, Index);
template Tensor<double> upsample_nearest(const Tensor<double>&, Index);

}  // namespace pf
