// Per-atom contributions to a ComFormer prediction, for inspection in ParaView.
//
// The readout is y = f(h̄) with h̄ the mean of the node embeddings h_i of a structure and
// f(x) = W₂·silu(W₁x + b₁) + b₂ (fc, fc_out). Applying f to each h_i separately would not add
// up: f is nonlinear, so the mean of f(h_i) is not f(h̄). We use the first-order expansion of f
// about h̄ instead:
//     c_i = f(h̄) + ∇f(h̄)·(h_i − h̄),
// whose mean over the atoms is exactly y (the deviations h_i − h̄ sum to zero), and which ranks
// atoms by how their embedding pushes the prediction away from the structure's value. The
// expansion is the readout's own local linear behaviour; it needs no reference point or
// sampling, unlike integrated gradients.
#pragma once

#include "property/crystal_task.hpp"

#include <vector>

namespace pf {

// h [N, C] (node embeddings of a batch), node_offsets [G + 1] → c [N] in standardised units
// (computed on the host in fp64 from the readout's weights in `model`).
std::vector<double> linearized_contributions(const CrystalModel& model, const Tensor<float>& h,
                                             const std::vector<Index>& node_offsets);

}  // namespace pf
