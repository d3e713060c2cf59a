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
  for (const Irreps* irreps : {&in1_, &in2_, &out_})
    for (const Irrep& ir : *irreps)
      if (2 * ir.l + 1 > kern::kTensorProductMaxDim)
        throw ShapeError("FullyConnectedTensorProduct: degrees up to l = 2 supported, found " +
                         to_string(*irreps));
  offset1_ = offsets(in1_);
  offset2_ = offsets(in2_);
  const std::vector<Index> offset_out = offsets(out_);
  std::vector<kern::TensorProductPath<T>> paths;
  std::vector<int> path_out;
  std::vector<T> cg;
  for (int i1 = 0; i1 < int(in1_.size()); ++i1)
    for (int i2 = 0; i2 < int(in2_.size()); ++i2)
      for (int o = 0; o < int(out_.size()); ++o) {
        const int l1 = in1_[i1].l, l2 = in2_[i2].l, lo = out_[o].l;
        if (!couples(l1, l2, lo)) continue;
        const std::vector<double> C = wigner_3j(l1, l2, lo);  // (i·d2 + j)·d3 + k
        paths.push_back({offset1_[i1], in1_[i1].mul, 2 * l1 + 1, offset2_[i2], 2 * l2 + 1,
                         offset_out[o], out_[o].mul, 2 * lo + 1, weight_numel_, Index(cg.size()),
                         T(0)});
        path_out.push_back(o);
        cg.insert(cg.end(), C.begin(), C.end());
        weight_numel_ += in1_[i1].mul * out_[o].mul;
      }
  for (std::size_t p = 0; p < paths.size(); ++p) {
    Index fan_in = 0;
    for (std::size_t q = 0; q < paths.size(); ++q)
      if (path_out[q] == path_out[p]) fan_in += paths[q].mul1;
    paths[p].scale = T(std::sqrt(double(2 * out_[path_out[p]].l + 1) / double(fan_in)));
  }
  paths_ = Kokkos::View<kern::TensorProductPath<T>*>("pf::comformer::tp_paths", paths.size());
  Kokkos::deep_copy(
      paths_, Kokkos::View<const kern::TensorProductPath<T>*, Kokkos::HostSpace,
                           Kokkos::MemoryTraits<Kokkos::Unmanaged>>(paths.data(), paths.size()));
  coupling_ = Tensor<T>::from_host({Index(cg.size())}, cg).data();
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
  const Index D1 = offset1_.back(), D2 = offset2_.back(), W = weight_numel_,
              Dout = irreps_dim(out_);
  Tensor<T> out = Tensor<T>::empty({E, Dout});
  const auto paths = paths_;
  const Vec<T> cg = coupling_, v1 = x1.data(), v2 = x2.data(), vw = w.data();
  kern::tensor_product_forward<T>(v1, v2, vw, paths, cg, out.data(), E, D1, D2, W, Dout);
  return record<T>(
      "tensor_product", out, {&x1, &x2, &w}, [=](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
        kern::tensor_product_backward<T>(v1, v2, vw, paths, cg, g, gin[0], gin[1], gin[2],
                                         gin[0].extent(0) > 0, gin[1].extent(0) > 0,
                                         gin[2].extent(0) > 0, E, D1, D2, W, Dout);
      });
}

template class FullyConnectedTensorProduct<float>;
template class FullyConnectedTensorProduct<double>;

}  // namespace pf::comformer
