// Training losses.
#include "kernels/loss.hpp"
#include "tensor/ops.hpp"

namespace pf {

namespace {

template <class T>
Tensor<T> mean_error(const char* name, const Tensor<T>& pred, const Tensor<T>& target,
                     bool squared) {
  if (pred.shape() != target.shape())
    throw ShapeError(std::string(name) + ": prediction " + to_string(pred.shape()) +
                     " and target " + to_string(target.shape()) + " differ");
  const T total = kern::sum_of_errors<T>(pred.data(), target.data(), squared);
  Tensor<T> out = Tensor<T>::scalar(total / T(pred.numel()));
  const Vec<T> p = pred.data(), t = target.data();
  return record<T>(name, out, {&pred, &target},
                   [=](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
                     kern::errors_backward<T>(p, t, g, gin[0], gin[1], squared);
                   });
}

}  // namespace

template <class T>
Tensor<T> mse_loss(const Tensor<T>& pred, const Tensor<T>& target) {
  return mean_error("mse_loss", pred, target, true);
}

template <class T>
Tensor<T> l1_loss(const Tensor<T>& pred, const Tensor<T>& target) {
  return mean_error("l1_loss", pred, target, false);
}

template <class T>
Tensor<T> rel_l2_loss(const Tensor<T>& pred, const Tensor<T>& target) {
  if (pred.shape() != target.shape() || pred.ndim() < 2)
    throw ShapeError("rel_l2_loss: prediction " + to_string(pred.shape()) + " and target " +
                     to_string(target.shape()) + " must match and have a batch axis");
  // Composite of differentiable ops; the per-sample norms are reductions over all but axis 0.
  const Index B = pred.dim(0);
  const Tensor<T> err = reshape(sub(pred, target), {B, -1});
  const Tensor<T> ref = reshape(target, {B, -1});
  const Tensor<T> ratio = div(sum(square(err), {1}), sum(square(ref), {1}));
  return mean_all(sqrt(ratio));
}

#define PF_INSTANTIATE(T)                                          \
  template Tensor<T> mse_loss(const Tensor<T>&, const Tensor<T>&); \
  template Tensor<T> l1_loss(const Tensor<T>&, const Tensor<T>&);  \
  template Tensor<T> rel_l2_loss(const Tensor<T>&, const Tensor<T>&);
PF_INSTANTIATE(float)
PF_INSTANTIATE(double)
#undef PF_INSTANTIATE

}  // namespace pf
