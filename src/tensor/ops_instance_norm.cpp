// instance_norm: channels-last statistics per (sample, channel), kernels/instance_norm.hpp.
#include "kernels/instance_norm.hpp"
#include "tensor/detail/shape_util.hpp"
#include "tensor/ops_conv.hpp"

#include <string>

namespace pf {

template <class T>
Tensor<T> instance_norm(const Tensor<T>& x, T eps) {
  const Index S = x.ndim() >= 3 ? detail::span(x.shape(), 1, x.ndim() - 1) : 0;
  if (x.ndim() < 3 || S < 2)
    throw ShapeError("instance_norm: input " + to_string(x.shape()) +
                     " needs [B, S..., C] with more than one spatial point");
  const Index B = x.dim(0), C = x.dim(-1);
  const Vec<T> mean(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::instance_norm::mean"),
                    B * C);
  const Vec<T> rstd(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::instance_norm::rstd"),
                    B * C);
  const Vec<T> vx = x.data();
  kern::instance_stats<T>(vx, mean, rstd, B, S, C, eps);
  Tensor<T> out = Tensor<T>::empty(x.shape());
  kern::instance_normalise<T>(vx, mean, rstd, out.data(), B, S, C);
  if (!any_requires_grad<T>({&x})) return out;
  return record<T>("instance_norm", out, {&x},
                   [=](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
                     kern::instance_norm_backward<T>(vx, mean, rstd, g, gin[0], B, S, C);
                   });
}

template Tensor<float> instance_norm(const Tensor<float>&, float);
template Tensor<double> instance_norm(const Tensor<double>&, double);

}  // namespace pf
