// Shape arithmetic shared by the op implementations (not part of the public API).
#pragma once

#include "core/error.hpp"
#include "core/types.hpp"
#include "kernels/reduce.hpp"
#include "kernels/strided.hpp"

#include <string>
#include <vector>

namespace pf::detail {

// Axis in [0, ndim) from a possibly negative one; names the op when out of range.
int normalize_axis(int axis, int ndim, const char* op);

// Row-major strides of a contiguous array.
Shape contiguous_strides(const Shape& shape);

// Throws if the rank exceeds what the kernels index (kern::kMaxRank).
void check_rank(const Shape& shape, const char* op);

// Map over `out` (row-major) giving offsets into a and b broadcast to it.
kern::StridedMap broadcast_map(const Shape& out, const Shape& a, const Shape& b);

// Reduction plan that sums a tensor of shape `from` down to `to` (broadcast-compatible).
kern::ReducePlan sum_to_plan(const Shape& from, const Shape& to);

// Product of shape[begin, end): element counts without dividing by a dimension that may be 0.
Index span(const Shape& shape, int begin, int end);

// Splits `shape` around `axis` into outer · n · inner.
struct AxisSplit {
  Index outer, n, inner;
};
AxisSplit split_at(const Shape& shape, int axis);

}  // namespace pf::detail
