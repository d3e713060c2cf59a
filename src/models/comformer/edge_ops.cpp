#include "models/comformer/edge_ops.hpp"

#include "core/error.hpp"
#include "kernels/edge_gather.hpp"
#include "kernels/index.hpp"

#include <string>

namespace pf::comformer {
namespace {

// The column block [offset, offset + C) of a 2-D tensor, checked.
template <class T>
kern::ColumnBlock block(const Tensor<T>& t, Index offset, Index C, const char* op,
                        const char* what) {
  if (t.ndim() != 2 || offset < 0 || offset + C > t.dim(1))
    throw ShapeError(std::string(op) + ": " + what + " " + pf::to_string(t.shape()) +
                     " has no 2-D column block [" + std::to_string(offset) + ", " +
                     std::to_string(offset + C) + ")");
  return {t.dim(1), offset};
}

void check_index(const IndexVec& idx, Index R, Index n, const char* op, const char* what) {
  if (Index(idx.extent(0)) != R)
    throw ShapeError(std::string(op) + ": index " + what + " has " + std::to_string(idx.extent(0)) +
                     " entries, expected " + std::to_string(R));
  const Index bad = kern::count_out_of_range(idx, n);
  if (bad > 0)
    throw ShapeError(std::string(op) + ": " + std::to_string(bad) + " entries of index " + what +
                     " fall outside [0, " + std::to_string(n) + ")");
}

}  // namespace

template <class T>
Tensor<T> gather_sum3(const Tensor<T>& a, Index a_offset, const IndexVec& ia, const Tensor<T>& b,
                      Index b_offset, const IndexVec& ib, const Tensor<T>& p, Index p_offset,
                      Index C) {
  const char* op = "gather_sum3";
  const kern::ColumnBlock ba = block(a, a_offset, C, op, "a"), bb = block(b, b_offset, C, op, "b"),
                          bp = block(p, p_offset, C, op, "p");
  const Index R = p.dim(0), Na = a.dim(0), Nb = b.dim(0);
  check_index(ia, R, Na, op, "ia");
  check_index(ib, R, Nb, op, "ib");
  Tensor<T> out = Tensor<T>::empty({R, C});
  kern::gather_sum3<T>(a.data(), ba, ia, b.data(), bb, ib, p.data(), bp, out.data(), R, C);
  return record<T>(op, out, {&a, &b, &p}, [=](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
    const Vec<T> none;
    if (gin[0].extent(0))
      kern::segment_sum_into_block<T>(g, none, T(1), kern::make_segment_plan(ia, Na), gin[0], ba,
                                      C);
    if (gin[1].extent(0))
      kern::segment_sum_into_block<T>(g, none, T(1), kern::make_segment_plan(ib, Nb), gin[1], bb,
                                      C);
    if (gin[2].extent(0)) kern::add_rows_into_block<T>(g, none, {}, ia, T(1), gin[2], bp, R, C);
  });
}

template <class T>
Tensor<T> gather_scale_mul(const Tensor<T>& q, Index q_offset, const IndexVec& iq,
                           const Tensor<T>& x, T s) {
  const char* op = "gather_scale_mul";
  if (x.ndim() != 2)
    throw ShapeError(std::string(op) + ": x " + pf::to_string(x.shape()) + " is not 2-D");
  const Index R = x.dim(0), C = x.dim(1), Nq = q.dim(0);
  const kern::ColumnBlock bq = block(q, q_offset, C, op, "q");
  check_index(iq, R, Nq, op, "iq");
  Tensor<T> out = Tensor<T>::empty({R, C});
  kern::gather_scale_mul<T>(q.data(), bq, iq, x.data(), s, out.data(), R, C);
  const Vec<T> vq = q.data(), vx = x.data();
  return record<T>(op, out, {&q, &x}, [=](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
    if (gin[0].extent(0))
      kern::segment_sum_into_block<T>(g, vx, s, kern::make_segment_plan(iq, Nq), gin[0], bq, C);
    if (gin[1].extent(0)) kern::add_rows_into_block<T>(g, vq, bq, iq, s, gin[1], {C, 0}, R, C);
  });
}

#define PF_INSTANTIATE(T)                                                                         \
  template Tensor<T> gather_sum3(const Tensor<T>&, Index, const IndexVec&, const Tensor<T>&,      \
                                 Index, const IndexVec&, const Tensor<T>&, Index, Index);         \
  template Tensor<T> gather_scale_mul(const Tensor<T>&, Index, const IndexVec&, const Tensor<T>&, \
                                      T);
PF_INSTANTIATE(float)
PF_INSTANTIATE(double)
#undef PF_INSTANTIATE

}  // namespace pf::comformer
