#include "tensor/detail/shape_util.hpp"

namespace pf::detail {

int normalize_axis(int axis, int ndim, const char* op) {
  const int a = axis < 0 ? axis + ndim : axis;
  if (a < 0 || a >= ndim)
    throw ShapeError(std::string(op) + ": axis " + std::to_string(axis) + " is out of range for " +
                     std::to_string(ndim) + " dimensions");
  return a;
}

Shape contiguous_strides(const Shape& shape) {
  Shape strides(shape.size());
  Index s = 1;
  for (int d = int(shape.size()) - 1; d >= 0; --d) {
    strides[d] = s;
    s *= shape[d];
  }
  return strides;
}

void check_rank(const Shape& shape, const char* op) {
  if (shape.size() > size_t(kern::kMaxRank))
    throw ShapeError(std::string(op) + ": rank " + std::to_string(shape.size()) +
                     " exceeds the supported " + std::to_string(kern::kMaxRank) + " (shape " +
                     to_string(shape) + ")");
}

kern::StridedMap broadcast_map(const Shape& out, const Shape& a, const Shape& b) {
  check_rank(out, "broadcast");
  kern::StridedMap m;
  m.rank = int(out.size());
  const Shape sa = contiguous_strides(a), sb = contiguous_strides(b);
  const int oa = int(out.size() - a.size()), ob = int(out.size() - b.size());
  for (int d = 0; d < m.rank; ++d) {
    m.dims[d] = out[d];
    m.a[d] = (d < oa || a[d - oa] == 1) ? 0 : sa[d - oa];
    m.b[d] = (d < ob || b[d - ob] == 1) ? 0 : sb[d - ob];
  }
  return m;
}

kern::ReducePlan sum_to_plan(const Shape& from, const Shape& to) {
  check_rank(from, "sum_to");
  const int off = int(from.size() - to.size());
  bool reduce[kern::kMaxRank];
  for (int d = 0; d < int(from.size()); ++d)
    reduce[d] = d < off || (to[d - off] == 1 && from[d] != 1);
  return kern::make_reduce_plan(int(from.size()), from.data(), reduce);
}

Index span(const Shape& shape, int begin, int end) {
  Index n = 1;
  for (int d = begin; d < end; ++d)
    n *= shape[d];
  return n;
}

AxisSplit split_at(const Shape& shape, int axis) {
  AxisSplit s{1, shape[axis], 1};
  for (int d = 0; d < axis; ++d)
    s.outer *= shape[d];
  for (int d = axis + 1; d < int(shape.size()); ++d)
    s.inner *= shape[d];
  return s;
}

}  // namespace pf::detail
