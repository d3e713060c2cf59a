// e3nn's FullyConnectedTensorProduct with per-sample weights (shared_weights=False), "component"
// irrep normalisation and "element" path normalisation, for irreps of natural parity (0e, 1o,
// 2e, ...) up to l = 2 and a second input of multiplicity one per degree (spherical harmonics).
#pragma once

#include "kernels/tensor_product.hpp"
#include "tensor/tensor.hpp"

#include <string>
#include <vector>

namespace pf::comformer {

struct Irrep {
  Index mul;
  int l;
};
using Irreps = std::vector<Irrep>;
Index irreps_dim(const Irreps& irreps);
std::string to_string(const Irreps& irreps);  // "64x0e+8x1o+8x2e"

template <class T>
class FullyConnectedTensorProduct {
 public:
  // Paths (i1, i2, o) for every o in in1[i1] ⊗ in2[i2], in e3nn's order (i1, then i2, then o);
  // the weights of a path are [mul1, mul2 = 1, mul_out], row-major, concatenated in that order;
  // a path's output is scaled by √((2 l_out + 1) / Σ mul1·mul2 over the paths into o).
  FullyConnectedTensorProduct(Irreps in1, Irreps in2, Irreps out);
  Index weight_numel() const { return weight_numel_; }
  const Irreps& irreps_out() const { return out_; }
  // x1 [E, dim in1], x2 [E, dim in2], w [E, weight_numel] → [E, dim out]
  Tensor<T> forward(const Tensor<T>& x1, const Tensor<T>& x2, const Tensor<T>& w) const;

 private:
  Irreps in1_, in2_, out_;
  std::vector<Index> offset1_, offset2_;
  Index weight_numel_ = 0;
  Kokkos::View<kern::TensorProductPath<T>*> paths_;  // in e3nn's order
  Vec<T> coupling_;                                  // every path's C[i, j, k], concatenated
};

}  // namespace pf::comformer
