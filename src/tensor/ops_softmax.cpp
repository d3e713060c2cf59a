// Softmax along an axis and over segments (graph neighbourhoods).
#include "kernels/index.hpp"
#include "kernels/softmax.hpp"
#include "tensor/detail/shape_util.hpp"
#include "tensor/ops.hpp"

namespace pf {

template <class T>
Tensor<T> softmax(const Tensor<T>& x, int axis) {
  const int a = detail::normalize_axis(axis, x.ndim(), "softmax");
  const detail::AxisSplit s = detail::split_at(x.shape(), a);
  Tensor<T> out = Tensor<T>::empty(x.shape());
  kern::softmax_forward<T>(x.data(), out.data(), s.outer, s.n, s.inner);
  const Vec<T> y = out.data();
  return record<T>("softmax", out, {&x}, [y, s](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
    kern::softmax_backward<T>(y, g, gin[0], s.outer, s.n, s.inner);
  });
}

template <class T>
Tensor<T> segment_softmax(const Tensor<T>& x, const IndexVec& segment, Index num_segments) {
  if (x.ndim() < 1 || x.ndim() > 2 || x.dim(0) != Index(segment.extent(0)))
    throw ShapeError("segment_softmax: values " + to_string(x.shape()) +
                     " (expected [E] or [E, H]) with " + std::to_string(segment.extent(0)) +
                     " segment ids");
  const Index bad = kern::count_out_of_range(segment, num_segments);
  if (bad)
    throw ShapeError("segment_softmax: " + std::to_string(bad) + " segment ids outside [0, " +
                     std::to_string(num_segments) + ")");
  const Index H = x.ndim() == 2 ? x.dim(1) : 1;
  const kern::SegmentPlan plan = kern::make_segment_plan(segment, num_segments);
  Tensor<T> out = Tensor<T>::empty(x.shape());
  kern::segment_softmax_forward<T>(x.data(), plan, out.data(), H);
  const Vec<T> y = out.data();
  return record<T>("segment_softmax", out, {&x},
                   [=](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
                     kern::segment_softmax_backward<T>(y, plan, g, gin[0], H);
                   });
}

#define PF_INSTANTIATE(T)                            \
  template Tensor<T> softmax(const Tensor<T>&, int); \
  template Tensor<T> segment_softmax(const Tensor<T>&, const IndexVec&, Index);
PF_INSTANTIATE(float)
PF_INSTANTIATE(double)
#undef PF_INSTANTIATE

}  // namespace pf
