#include "models/comformer/tensor_product.hpp"

#include "core/error.hpp"
#include "models/comformer/so3.hpp"
#include "tensor/ops.hpp"

#include <cmath>

namespace pf::comformer {
namespace {

std::vector<Index> offsets(const Irreps& irreps) {
  std::vector<Index> o{0};
  for (const Irrep& ir : irreps)
    o.push_back(o.back() + ir.mul * (2 * ir.l + 1));
  return o;
}

// ir_out ∈ ir1 ⊗ ir2 for natural parities: the triangle rule and (−1)^(l1+l2) = (−1)^l_out.
bool couples(int l1, int l2, int l_out) {
  return l_out >= std::abs(l1 - l2) && l_out <= l1 + l2 && (l1 + l2 + l_out) % 2 == 0;
}

}  // namespace

Index irreps_dim(const Irreps& irreps) {
  return offsets(irreps).back();
}

std::string to_string(const Irreps& irreps) {
  std::string s;
  for (const Irrep& ir : irreps)
    s += (s.empty() ? "" : "+") + std::to_string(ir.mul) + "x" + std::to_string(ir.l) +
         (ir.l % 2 == 0 ? "e" : "o");
  return s;
}

template <class T>
FullyConnectedTensorProduct<T>::FullyConnectedTensorProduct(Irreps in1, Irreps in2, Irreps out)
    : in1_(std::move(in1)), in2_(std::move(in2)), out_(std::move(out)) {
  for (const Irrep& ir : in2_)
    if (ir.mul != 1)
      throw ShapeError(
          "FullyConnectedTensorProduct: the second input must have multiplicity 1 "
          "per degree, found " +
          to_string(in2_));
  offset1_ = offsets(in1_);
  offset2_ = offsets(in2_);
  for (int i1 = 0; i1 < int(in1_.size()); ++i1)
    for (int i2 = 0; i2 < int(in2_.size()); ++i2)
      for (int o = 0; o < int(out_.size()); ++o) {
        const int l1 = in1_[i1].l, l2 = in2_[i2].l, lo = out_[o].l;
        if (!couples(l1, l2, lo)) continue;
        const std::vector<double> C = wigner_3j(l1, l2, lo);
        const int d1 = 2 * l1 + 1, d2 = 2 * l2 + 1, d3 = 2 * lo + 1;
        std::vector<T> c(C.size());
        for (int i = 0; i < d1; ++i)
          for (int j = 0; j < d2; ++j)
            for (int k = 0; k < d3; ++k)
              c[j * d1 * d3 + i * d3 + k] = T(C[(i * d2 + j) * d3 + k]);
        paths_.push_back(
            {i1, i2, o, weight_numel_, T(0), Tensor<T>::from_host({d2, Index(d1) * d3}, c)});
        weight_numel_ += in1_[i1].mul * out_[o].mul;
      }
  for (Path& p : paths_) {
    Index fan_in = 0;
    for (const Path& q : paths_)
      if (q.out == p.out) fan_in += in1_[q.i1].mul;
    p.scale = T(std::sqrt(double(2 * out_[p.out].l + 1) / double(fan_in)));
  }
}

template <class T>
Tensor<T> FullyConnectedTensorProduct<T>::forward(const Tensor<T>& x1, const Tensor<T>& x2,
                                                  const Tensor<T>& w) const {
  // x1 [E, D1], x2 [E, D2], w [E, W] → [E, Dout]
  const Index E = x1.dim(0);
  if (x1.ndim() != 2 || x2.ndim() != 2 || w.ndim() != 2 || x1.dim(1) != offset1_.back() ||
      x2.dim(1) != offset2_.back() || w.dim(1) != weight_numel_ || x2.dim(0) != E || w.dim(0) != E)
    throw ShapeError("FullyConnectedTensorProduct " + to_string(in1_) + " ⊗ " + to_string(in2_) +
                     " → " + to_string(out_) + ": expected x1 [E, " +
                     std::to_string(offset1_.back()) + "], x2 [E, " +
                     std::to_string(offset2_.back()) + "], w [E, " + std::to_string(weight_numel_) +
                     "], found " + pf::to_string(x1.shape()) + ", " + pf::to_string(x2.shape()) +
                     ", " + pf::to_string(w.shape()));
  std::vector<Tensor<T>> blocks(out_.size());
  for (const Path& p : paths_) {
    const Index mul1 = in1_[p.i1].mul, mul_out = out_[p.out].mul;
    const Index d1 = 2 * in1_[p.i1].l + 1, d2 = 2 * in2_[p.i2].l + 1, d3 = 2 * out_[p.out].l + 1;
    const Tensor<T> a = reshape(slice(x1, 1, offset1_[p.i1], offset1_[p.i1 + 1]), {E, mul1, d1});
    const Tensor<T> b = slice(x2, 1, offset2_[p.i2], offset2_[p.i2] + d2);
    // s[e, i, k] = Σ_j C[i, j, k] x2[e, j]; t[e, u, k] = Σ_i x1[e, u, i] s[e, i, k]
    const Tensor<T> s = reshape(matmul(b, p.coupling), {E, d1, d3});
    const Tensor<T> t = matmul(a, s);
    const Tensor<T> wp =
        reshape(slice(w, 1, p.weight_offset, p.weight_offset + mul1 * mul_out), {E, mul1, mul_out});
    // out[e, w, k] = scale Σ_u wp[e, u, w] t[e, u, k]
    const Tensor<T> y = reshape(scale(matmul(wp, t, /*trans_a=*/true), p.scale), {E, mul_out * d3});
    blocks[p.out] = blocks[p.out].defined() ? add(blocks[p.out], y) : y;
  }
  for (std::size_t o = 0; o < out_.size(); ++o)
    if (!blocks[o].defined())  // no path reaches it: e3nn leaves it zero
      blocks[o] = Tensor<T>::zeros({E, out_[o].mul * (2 * out_[o].l + 1)});
  return blocks.size() == 1 ? blocks[0] : concat(blocks, 1);
}

template class FullyConnectedTensorProduct<float>;
template class FullyConnectedTensorProduct<double>;

}  // namespace pf::comformer
