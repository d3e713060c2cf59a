// LayerNorm, GroupNorm, BatchNorm.
#include "kernels/norm.hpp"
#include "tensor/detail/shape_util.hpp"
#include "tensor/ops.hpp"

namespace pf {

namespace {

void check_affine(const char* op, const Shape& x, const Shape& w, const Shape& b, Index n,
                  bool w_defined, bool b_defined) {
  if ((w_defined && (w.size() != 1 || w[0] != n)) || (b_defined && (b.size() != 1 || b[0] != n)))
    throw ShapeError(std::string(op) + ": weight " + to_string(w) + " / bias " + to_string(b) +
                     " must be [" + std::to_string(n) + "] for input " + to_string(x));
}

}  // namespace

template <class T>
Tensor<T> layer_norm(const Tensor<T>& x, const Tensor<T>& weight, const Tensor<T>& bias, T eps) {
  if (x.ndim() < 1) throw ShapeError("layer_norm: input must have at least one axis");
  const Index D = x.dim(-1), R = detail::span(x.shape(), 0, x.ndim() - 1);
  check_affine("layer_norm", x.shape(), weight.shape(), bias.shape(), D, weight.defined(),
               bias.defined());
  Tensor<T> out = Tensor<T>::empty(x.shape());
  Vec<T> mean(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::layernorm::mean"), R);
  Vec<T> rstd(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::layernorm::rstd"), R);
  kern::layernorm_forward<T>(x.data(), weight.data(), bias.data(), out.data(), mean, rstd, R, D,
                             eps);
  if (!any_requires_grad<T>({&x, &weight, &bias})) return out;
  const Vec<T> vx = x.data(), vw = weight.data();
  return record<T>("layer_norm", out, {&x, &weight, &bias},
                   [=](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
                     if (gin[0].extent(0))
                       kern::layernorm_backward_input<T>(vx, vw, mean, rstd, g, gin[0], R, D);
                     if (gin[1].extent(0) || gin[2].extent(0))
                       kern::layernorm_backward_affine<T>(vx, mean, rstd, g, gin[1], gin[2], R, D);
                   });
}

template <class T>
Tensor<T> group_norm(const Tensor<T>& x, Index groups, const Tensor<T>& weight,
                     const Tensor<T>& bias, T eps) {
  if (x.ndim() < 2 || groups < 1 || x.dim(1) % groups != 0)
    throw ShapeError("group_norm: input " + to_string(x.shape()) + " needs [N, C, ...] with C " +
                     "divisible by groups = " + std::to_string(groups));
  const Index N = x.dim(0), C = x.dim(1), S = detail::span(x.shape(), 2, x.ndim());
  check_affine("group_norm", x.shape(), weight.shape(), bias.shape(), C, weight.defined(),
               bias.defined());
  Vec<T> mean(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::groupnorm::mean"), N * groups);
  Vec<T> rstd(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::groupnorm::rstd"), N * groups);
  kern::group_stats<T>(x.data(), mean, rstd, N, C, S, groups);
  kern::rstd_from_var<T>(rstd, eps, rstd);
  Tensor<T> out = Tensor<T>::empty(x.shape());
  kern::channel_normalise<T>(x.data(), mean, rstd, weight.data(), bias.data(), out.data(), N, C, S,
                             groups, true);
  if (!any_requires_grad<T>({&x, &weight, &bias})) return out;
  const Vec<T> vx = x.data(), vw = weight.data();
  return record<T>("group_norm", out, {&x, &weight, &bias},
                   [=](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
                     if (gin[0].extent(0)) {
                       Vec<T> sg("pf::groupnorm::sum_g", N * groups);
                       Vec<T> sgx("pf::groupnorm::sum_gx", N * groups);
                       kern::channel_normalise_backward_input<T>(vx, mean, rstd, vw, g, gin[0], sg,
                                                                 sgx, N, C, S, groups, true);
                     }
                     if (gin[1].extent(0) || gin[2].extent(0))
                       kern::channel_normalise_backward_affine<T>(vx, mean, rstd, g, gin[1], gin[2],
                                                                  N, C, S, groups, true);
                   });
}

template <class T>
Tensor<T> batch_norm(const Tensor<T>& x, const Tensor<T>& running_mean,
                     const Tensor<T>& running_var, const Tensor<T>& weight, const Tensor<T>& bias,
                     bool training, T momentum, T eps) {
  if (x.ndim() < 2)
    throw ShapeError("batch_norm: input " + to_string(x.shape()) + " needs [N, C, ...]");
  const Index N = x.dim(0), C = x.dim(1), S = detail::span(x.shape(), 2, x.ndim());
  check_affine("batch_norm", x.shape(), weight.shape(), bias.shape(), C, weight.defined(),
               bias.defined());
  check_affine("batch_norm (running stats)", x.shape(), running_mean.shape(), running_var.shape(),
               C, true, true);
  if (training && N * S < 2)
    throw ShapeError("batch_norm: training needs more than one value per channel, input " +
                     to_string(x.shape()));
  Vec<T> mean, rstd(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::batchnorm::rstd"), C);
  if (training) {
    mean = Vec<T>(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::batchnorm::mean"), C);
    Vec<T> var(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::batchnorm::var"), C);
    kern::batch_stats<T>(x.data(), mean, var, N, C, S);
    kern::rstd_from_var<T>(var, eps, rstd);
    kern::update_running_stats<T>(running_mean.data(), running_var.data(), mean, var, momentum,
                                  N * S);
  } else {
    mean = running_mean.clone().data();  // a snapshot: later training steps must not change it
    kern::rstd_from_var<T>(running_var.data(), eps, rstd);
  }
  Tensor<T> out = Tensor<T>::empty(x.shape());
  kern::channel_normalise<T>(x.data(), mean, rstd, weight.data(), bias.data(), out.data(), N, C, S,
                             C, false);
  if (!any_requires_grad<T>({&x, &weight, &bias})) return out;
  const Vec<T> vx = x.data(), vw = weight.data();
  return record<T>("batch_norm", out, {&x, &weight, &bias},
                   [=](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
                     if (gin[0].extent(0)) {
                       if (training) {
                         Vec<T> sg("pf::batchnorm::sum_g", C), sgx("pf::batchnorm::sum_gx", C);
                         kern::channel_normalise_backward_input<T>(vx, mean, rstd, vw, g, gin[0],
                                                                   sg, sgx, N, C, S, C, false);
                       } else {
                         kern::channel_affine_backward_input<T>(rstd, vw, g, gin[0], C, S);
                       }
                     }
                     if (gin[1].extent(0) || gin[2].extent(0))
                       kern::channel_normalise_backward_affine<T>(vx, mean, rstd, g, gin[1], gin[2],
                                                                  N, C, S, C, false);
                   });
}

#define PF_INSTANTIATE(T)                                                                        \
  template Tensor<T> layer_norm(const Tensor<T>&, const Tensor<T>&, const Tensor<T>&, T);        \
  template Tensor<T> group_norm(const Tensor<T>&, Index, const Tensor<T>&, const Tensor<T>&, T); \
  template Tensor<T> batch_norm(const Tensor<T>&, const Tensor<T>&, const Tensor<T>&,            \
                                const Tensor<T>&, const Tensor<T>&, bool, T, T);
PF_INSTANTIATE(float)
PF_INSTANTIATE(double)
#undef PF_INSTANTIATE

}  // namespace pf
