// Gradient clipping by global norm (torch.nn.utils.clip_grad_norm_ semantics).
#pragma once

#include "nn/module.hpp"

namespace pf {

// √Σ‖g‖² over every parameter gradient (parameters without one count as zero).
template <class T>
double global_grad_norm(const NamedTensors<T>& params);

// Scales every gradient by min(1, max_norm / (norm + 1e-6)) and returns the norm before
// clipping; max_norm ≤ 0 only measures. A non-finite norm is returned untouched for the caller
// to report.
template <class T>
double clip_grad_norm(const NamedTensors<T>& params, double max_norm);

}  // namespace pf
