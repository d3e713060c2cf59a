// Reshape, permute, slice, concat, pad and broadcast: all one strided-copy kernel with different
// index maps, and the same map with source and destination swapped for backward.
#include "kernels/reduce.hpp"
#include "kernels/strided.hpp"
#include "tensor/detail/shape_util.hpp"
#include "tensor/ops.hpp"

#include <numeric>

namespace pf {

namespace {

kern::StridedMap swapped(kern::StridedMap m) {
  for (int d = 0; d < m.rank; ++d)
    std::swap(m.a[d], m.b[d]);
  return m;
}

// A map over box `dims` with source strides `a` and destination strides `b`.
kern::StridedMap make_map(const Shape& dims, const Shape& a, const Shape& b) {
  detail::check_rank(dims, "strided copy");
  kern::StridedMap m;
  m.rank = int(dims.size());
  for (int d = 0; d < m.rank; ++d) {
    m.dims[d] = dims[d];
    m.a[d] = a[d];
    m.b[d] = b[d];
  }
  return m;
}

}  // namespace

template <class T>
Tensor<T> reshape(const Tensor<T>& x, Shape shape) {
  Index known = 1;
  int infer = -1;
  for (int d = 0; d < int(shape.size()); ++d) {
    if (shape[d] < -1)
      throw ShapeError("reshape: negative size " + std::to_string(shape[d]) + " in " +
                       to_string(shape));
    if (shape[d] == -1) {
      if (infer >= 0) throw ShapeError("reshape: more than one -1 in " + to_string(shape));
      infer = d;
    } else {
      known *= shape[d];
    }
  }
  if (infer >= 0 && known > 0 && x.numel() % known == 0) shape[infer] = x.numel() / known;
  if (numel(shape) != x.numel())
    throw ShapeError("reshape: cannot view " + to_string(x.shape()) + " (" +
                     std::to_string(x.numel()) + " values) as " + to_string(shape));
  Tensor<T> out(x.data(), shape);  // shares storage
  return record<T>("reshape", out, {&x}, [](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
    kern::axpy<T>(T(1), g, gin[0]);
  });
}

template <class T>
Tensor<T> permute(const Tensor<T>& x, const std::vector<int>& perm) {
  const int n = x.ndim();
  if (int(perm.size()) != n)
    throw ShapeError("permute: " + std::to_string(perm.size()) + " axes given for shape " +
                     to_string(x.shape()));
  std::vector<bool> seen(n, false);
  Shape out_shape(n), src_strides(n);
  const Shape in_strides = detail::contiguous_strides(x.shape());
  for (int d = 0; d < n; ++d) {
    const int p = detail::normalize_axis(perm[d], n, "permute");
    if (seen[p]) throw ShapeError("permute: axis " + std::to_string(p) + " repeated");
    seen[p] = true;
    out_shape[d] = x.shape()[p];
    src_strides[d] = in_strides[p];
  }
  const kern::StridedMap map =
      make_map(out_shape, src_strides, detail::contiguous_strides(out_shape));
  Tensor<T> out = Tensor<T>::empty(out_shape);
  kern::strided_copy<T>(x.data(), 0, out.data(), 0, map, false);
  return record<T>("permute", out, {&x}, [map](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
    kern::strided_copy<T>(g, 0, gin[0], 0, swapped(map), true);
  });
}

template <class T>
Tensor<T> transpose(const Tensor<T>& x, int axis0, int axis1) {
  std::vector<int> perm(x.ndim());
  std::iota(perm.begin(), perm.end(), 0);
  std::swap(perm[detail::normalize_axis(axis0, x.ndim(), "transpose")],
            perm[detail::normalize_axis(axis1, x.ndim(), "transpose")]);
  return permute(x, perm);
}

template <class T>
Tensor<T> slice(const Tensor<T>& x, int axis, Index start, Index stop, Index step) {
  const int a = detail::normalize_axis(axis, x.ndim(), "slice");
  const Index n = x.shape()[a];
  if (start < 0) start += n;
  if (stop < 0) stop += n;
  if (step < 1 || start < 0 || stop > n || start > stop)
    throw ShapeError("slice: range [" + std::to_string(start) + ", " + std::to_string(stop) +
                     ") step " + std::to_string(step) + " is invalid for axis " +
                     std::to_string(axis) + " of size " + std::to_string(n));
  Shape out_shape = x.shape();
  out_shape[a] = (stop - start + step - 1) / step;
  Shape src_strides = detail::contiguous_strides(x.shape());
  const Index base = start * src_strides[a];
  src_strides[a] *= step;
  const kern::StridedMap map =
      make_map(out_shape, src_strides, detail::contiguous_strides(out_shape));
  Tensor<T> out = Tensor<T>::empty(out_shape);
  kern::strided_copy<T>(x.data(), base, out.data(), 0, map, false);
  return record<T>("slice", out, {&x},
                   [map, base](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
                     kern::strided_copy<T>(g, 0, gin[0], base, swapped(map), true);
                   });
}

template <class T>
Tensor<T> concat(const std::vector<Tensor<T>>& xs, int axis) {
  if (xs.empty()) throw ShapeError("concat: no tensors given");
  const int a = detail::normalize_axis(axis, xs[0].ndim(), "concat");
  Shape out_shape = xs[0].shape();
  out_shape[a] = 0;
  for (const Tensor<T>& t : xs) {
    const bool same_rank = t.ndim() == xs[0].ndim();
    Shape s = t.shape(), expect = out_shape;
    if (same_rank) s[a] = expect[a] = 0;
    if (!same_rank || s != expect)
      throw ShapeError("concat: shape " + to_string(t.shape()) + " does not match " +
                       to_string(xs[0].shape()) + " outside axis " + std::to_string(axis));
    out_shape[a] += t.shape()[a];
  }
  const Shape out_strides = detail::contiguous_strides(out_shape);
  std::vector<kern::StridedMap> maps;
  std::vector<Index> bases;
  Tensor<T> out = Tensor<T>::empty(out_shape);
  Index offset = 0;
  for (const Tensor<T>& t : xs) {
    maps.push_back(make_map(t.shape(), detail::contiguous_strides(t.shape()), out_strides));
    bases.push_back(offset * out_strides[a]);
    kern::strided_copy<T>(t.data(), 0, out.data(), bases.back(), maps.back(), false);
    offset += t.shape()[a];
  }
  std::vector<const Tensor<T>*> inputs;
  for (const Tensor<T>& t : xs)
    inputs.push_back(&t);
  return record<T>("concat", out, inputs,
                   [maps, bases](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
                     for (size_t i = 0; i < gin.size(); ++i)
                       if (gin[i].extent(0))
                         kern::strided_copy<T>(g, bases[i], gin[i], 0, swapped(maps[i]), true);
                   });
}

template <class T>
Tensor<T> pad(const Tensor<T>& x, const std::vector<Index>& before, const std::vector<Index>& after,
              T value) {
  const int n = x.ndim();
  if (int(before.size()) != n || int(after.size()) != n)
    throw ShapeError("pad: need one before/after amount per axis of " + to_string(x.shape()));
  Shape out_shape = x.shape();
  for (int d = 0; d < n; ++d) {
    if (before[d] < 0 || after[d] < 0)
      throw ShapeError("pad: negative padding on axis " + std::to_string(d));
    out_shape[d] += before[d] + after[d];
  }
  const Shape out_strides = detail::contiguous_strides(out_shape);
  Index base = 0;
  for (int d = 0; d < n; ++d)
    base += before[d] * out_strides[d];
  const kern::StridedMap map =
      make_map(x.shape(), detail::contiguous_strides(x.shape()), out_strides);
  Tensor<T> out = Tensor<T>::full(out_shape, value);
  kern::strided_copy<T>(x.data(), 0, out.data(), base, map, false);
  return record<T>("pad", out, {&x}, [map, base](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
    kern::strided_copy<T>(g, base, gin[0], 0, swapped(map), true);
  });
}

template <class T>
Tensor<T> broadcast_to(const Tensor<T>& x, const Shape& shape) {
  if (broadcast_shape(x.shape(), shape) != shape)
    throw ShapeError("broadcast_to: " + to_string(x.shape()) + " does not broadcast to " +
                     to_string(shape));
  const kern::StridedMap map = detail::broadcast_map(shape, x.shape(), shape);
  kern::StridedMap copy_map = map;
  for (int d = 0; d < copy_map.rank; ++d)
    copy_map.b[d] = detail::contiguous_strides(shape)[d];
  Tensor<T> out = Tensor<T>::empty(shape);
  kern::strided_copy<T>(x.data(), 0, out.data(), 0, copy_map, false);
  const Shape from = x.shape();
  return record<T>("broadcast_to", out, {&x},
                   [from, shape](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
                     kern::sum_reduce<T>(g, gin[0], detail::sum_to_plan(shape, from), T(1), true);
                   });
}

#define PF_INSTANTIATE(T)                                                                        \
  template Tensor<T> reshape(const Tensor<T>&, Shape);                                           \
  template Tensor<T> permute(const Tensor<T>&, const std::vector<int>&);                         \
  template Tensor<T> transpose(const Tensor<T>&, int, int);                                      \
  template Tensor<T> slice(const Tensor<T>&, int, Index, Index, Index);                          \
  template Tensor<T> concat(const std::vector<Tensor<T>>&, int);                                 \
  template Tensor<T> pad(const Tensor<T>&, const std::vector<Index>&, const std::vector<Index>&, \
                         T);                                                                     \
  template Tensor<T> broadcast_to(const Tensor<T>&, const Shape&);
PF_INSTANTIATE(float)
PF_INSTANTIATE(double)
#undef PF_INSTANTIATE

}  // namespace pf
