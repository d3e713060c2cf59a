// Sums, means and variances over chosen axes.
#include "kernels/reduce.hpp"
#include "kernels/strided.hpp"
#include "tensor/detail/shape_util.hpp"
#include "tensor/ops.hpp"

#include <algorithm>

namespace pf {

namespace {

std::vector<bool> axis_mask(const Shape& shape, const std::vector<int>& axes, const char* op) {
  std::vector<bool> mask(shape.size(), false);
  for (int a : axes) {
    const int n = detail::normalize_axis(a, int(shape.size()), op);
    if (mask[n]) throw ShapeError(std::string(op) + ": axis " + std::to_string(a) + " given twice");
    mask[n] = true;
  }
  return mask;
}

// Broadcasts g (shape `kept`, reduced axes as size 1) back over `full`, scaled, into dst.
template <class T>
void broadcast_add(const Vec<T>& g, const Shape& kept, const Shape& full, const Vec<T>& dst,
                   T alpha) {
  kern::broadcast_add<T>(g, dst, detail::broadcast_map(full, kept, full), alpha);
}

template <class T>
Tensor<T> scaled_sum(const char* name, const Tensor<T>& x, const std::vector<int>& axes,
                     bool keepdim, bool divide_by_count) {
  const Shape& shape = x.shape();
  detail::check_rank(shape, name);
  const std::vector<bool> mask = axis_mask(shape, axes, name);
  Shape kept_shape = shape, out_shape;
  Index count = 1;
  bool reduce[kern::kMaxRank];
  for (size_t d = 0; d < shape.size(); ++d) {
    reduce[d] = mask[d];
    if (mask[d]) {
      count *= shape[d];
      kept_shape[d] = 1;
      if (keepdim) out_shape.push_back(1);
    } else {
      out_shape.push_back(shape[d]);
    }
  }
  const T alpha = divide_by_count ? T(1) / T(count) : T(1);
  Tensor<T> out = Tensor<T>::empty(out_shape);
  kern::sum_reduce<T>(x.data(), out.data(),
                      kern::make_reduce_plan(int(shape.size()), shape.data(), reduce), alpha,
                      false);
  return record<T>(name, out, {&x},
                   [kept_shape, shape, alpha](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
                     broadcast_add<T>(g, kept_shape, shape, gin[0], alpha);
                   });
}

}  // namespace

template <class T>
Tensor<T> sum(const Tensor<T>& x, const std::vector<int>& axes, bool keepdim) {
  return scaled_sum("sum", x, axes, keepdim, false);
}

template <class T>
Tensor<T> mean(const Tensor<T>& x, const std::vector<int>& axes, bool keepdim) {
  return scaled_sum("mean", x, axes, keepdim, true);
}

template <class T>
Tensor<T> var(const Tensor<T>& x, const std::vector<int>& axes, bool unbiased, bool keepdim) {
  const std::vector<bool> mask = axis_mask(x.shape(), axes, "var");
  Index count = 1;
  for (size_t d = 0; d < mask.size(); ++d)
    if (mask[d]) count *= x.shape()[d];
  if (unbiased && count < 2)
    throw ShapeError("var: unbiased variance needs at least 2 values, the axes hold " +
                     std::to_string(count));
  // Composite of differentiable ops: two-pass (centre, then square), stable for large means.
  const Tensor<T> centred = sub(x, mean(x, axes, true));
  const Tensor<T> ss = sum(square(centred), axes, keepdim);
  return scale(ss, T(1) / T(unbiased ? count - 1 : count));
}

template <class T>
Tensor<T> sum_all(const Tensor<T>& x) {
  std::vector<int> axes(x.ndim());
  for (int d = 0; d < x.ndim(); ++d)
    axes[d] = d;
  return sum(x, axes, false);
}

template <class T>
Tensor<T> mean_all(const Tensor<T>& x) {
  std::vector<int> axes(x.ndim());
  for (int d = 0; d < x.ndim(); ++d)
    axes[d] = d;
  return mean(x, axes, false);
}

template <class T>
Tensor<T> sum_to(const Tensor<T>& x, const Shape& shape) {
  if (broadcast_shape(shape, x.shape()) != x.shape())
    throw ShapeError("sum_to: shape " + to_string(shape) + " does not broadcast to " +
                     to_string(x.shape()));
  const Shape from = x.shape();
  Tensor<T> out = Tensor<T>::empty(shape);
  kern::sum_reduce<T>(x.data(), out.data(), detail::sum_to_plan(from, shape), T(1), false);
  return record<T>("sum_to", out, {&x},
                   [from, shape](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
                     Shape padded(from.size() - shape.size(), 1);
                     padded.insert(padded.end(), shape.begin(), shape.end());
                     broadcast_add<T>(g, padded, from, gin[0], T(1));
                   });
}

#define PF_INSTANTIATE(T)                                                        \
  template Tensor<T> sum(const Tensor<T>&, const std::vector<int>&, bool);       \
  template Tensor<T> mean(const Tensor<T>&, const std::vector<int>&, bool);      \
  template Tensor<T> var(const Tensor<T>&, const std::vector<int>&, bool, bool); \
  template Tensor<T> sum_all(const Tensor<T>&);                                  \
  template Tensor<T> mean_all(const Tensor<T>&);                                 \
  template Tensor<T> sum_to(const Tensor<T>&, const Shape&);
PF_INSTANTIATE(float)
PF_INSTANTIATE(double)
#undef PF_INSTANTIATE

}  // namespace pf
