// Gather / scatter-add along an axis and embeddings.
#include "kernels/index.hpp"
#include "kernels/segments.hpp"
#include "tensor/detail/shape_util.hpp"
#include "tensor/ops.hpp"

namespace pf {

IndexVec make_index(const std::vector<Index>& values) {
  IndexVec idx(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::index"), values.size());
  Kokkos::View<const Index*, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>> host(
      values.data(), values.size());
  Kokkos::deep_copy(idx, host);
  return idx;
}

namespace {
void check_indices(const IndexVec& idx, Index n, const char* op) {
  const Index bad = kern::count_out_of_range(idx, n);
  if (bad > 0)
    throw ShapeError(std::string(op) + ": " + std::to_string(bad) + " of " +
                     std::to_string(idx.extent(0)) + " indices fall outside [0, " +
                     std::to_string(n) + ")");
}
}  // namespace

template <class T>
Tensor<T> gather(const Tensor<T>& x, int axis, const IndexVec& idx) {
  const int a = detail::normalize_axis(axis, x.ndim(), "gather");
  const detail::AxisSplit s = detail::split_at(x.shape(), a);
  check_indices(idx, s.n, "gather");
  const Index M = idx.extent(0);
  Shape out_shape = x.shape();
  out_shape[a] = M;
  Tensor<T> out = Tensor<T>::empty(out_shape);
  kern::gather_axis<T>(x.data(), idx, out.data(), s.outer, s.n, M, s.inner);
  return record<T>("gather", out, {&x}, [=](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
    kern::segment_sum_axis<T>(g, kern::make_segment_plan(idx, s.n), gin[0], s.outer, M, s.inner);
  });
}

template <class T>
Tensor<T> scatter_add(const Tensor<T>& src, int axis, const IndexVec& idx, Index dim_size) {
  const int a = detail::normalize_axis(axis, src.ndim(), "scatter_add");
  const Index M = idx.extent(0);
  if (src.shape()[a] != M)
    throw ShapeError("scatter_add: source axis " + std::to_string(axis) + " has " +
                     std::to_string(src.shape()[a]) + " entries but the index has " +
                     std::to_string(M));
  check_indices(idx, dim_size, "scatter_add");
  detail::AxisSplit s = detail::split_at(src.shape(), a);
  Shape out_shape = src.shape();
  out_shape[a] = dim_size;
  Tensor<T> out = Tensor<T>::zeros(out_shape);
  kern::segment_sum_axis<T>(src.data(), kern::make_segment_plan(idx, dim_size), out.data(), s.outer,
                            M, s.inner);
  return record<T>(
      "scatter_add", out, {&src}, [=](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
        // d out[idx[m]] / d src[m] = 1: the gradient gathers back (added into gin).
        Vec<T> tmp(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::scatter_add::grad"),
                   gin[0].extent(0));
        kern::gather_axis<T>(g, idx, tmp, s.outer, dim_size, M, s.inner);
        kern::axpy<T>(T(1), tmp, gin[0]);
      });
}

template <class T>
Tensor<T> embedding(const IndexVec& idx, const Shape& idx_shape, const Tensor<T>& weight) {
  if (weight.ndim() != 2 || Index(idx.extent(0)) != numel(idx_shape))
    throw ShapeError("embedding: weight " + to_string(weight.shape()) + " (expected [num, dim]) " +
                     "with " + std::to_string(idx.extent(0)) + " indices for index shape " +
                     to_string(idx_shape));
  Shape out_shape = idx_shape;
  out_shape.push_back(weight.dim(1));
  return reshape(gather(weight, 0, idx), out_shape);
}

#define PF_INSTANTIATE(T)                                                        \
  template Tensor<T> gather(const Tensor<T>&, int, const IndexVec&);             \
  template Tensor<T> scatter_add(const Tensor<T>&, int, const IndexVec&, Index); \
  template Tensor<T> embedding(const IndexVec&, const Shape&, const Tensor<T>&);
PF_INSTANTIATE(float)
PF_INSTANTIATE(double)
#undef PF_INSTANTIATE

}  // namespace pf
