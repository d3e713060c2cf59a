#include "property/atom_contributions.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace pf {

namespace {
std::vector<double> host_param(const CrystalModel& model, const std::string& name) {
  for (const auto& [n, t] : model.module->state_dict())
    if (n == name) {
      const std::vector<float> v = t.to_host();
      return std::vector<double>(v.begin(), v.end());
    }
  throw std::logic_error("ComFormer readout parameter '" + name + "' not found");
}
}  // namespace

std::vector<double> linearized_contributions(const CrystalModel& model, const Tensor<float>& h,
                                             const std::vector<Index>& node_offsets) {
  const std::vector<double> w1 = host_param(model, "fc.0.weight"),
                            b1 = host_param(model, "fc.0.bias"),
                            w2 = host_param(model, "fc_out.weight"),
                            b2 = host_param(model, "fc_out.bias");
  const auto f = Index(b1.size()), c = h.dim(1);
  if (b2.size() != 1)
    throw InputError("per-atom contributions: expected one output per structure, found " +
                     std::to_string(b2.size()));
  const std::vector<float> hv = h.to_host();
  std::vector<double> out(static_cast<size_t>(h.dim(0)));
  std::vector<double> mean(static_cast<size_t>(c)), grad(static_cast<size_t>(c));
  for (size_t g = 0; g + 1 < node_offsets.size(); ++g) {
    const Index lo = node_offsets[g], hi = node_offsets[g + 1];
    std::fill(mean.begin(), mean.end(), 0.0);
    for (Index i = lo; i < hi; ++i)
      for (Index k = 0; k < c; ++k)
        mean[size_t(k)] += hv[size_t(i * c + k)];
    for (double& m : mean)
      m /= double(hi - lo);
    // y = b₂ + Σ_j w₂_j silu(z_j), ∇y = Σ_j w₂_j silu'(z_j) W₁[j, :]
    double y = b2[0];
    std::fill(grad.begin(), grad.end(), 0.0);
    for (Index j = 0; j < f; ++j) {
      double z = b1[size_t(j)];
      for (Index k = 0; k < c; ++k)
        z += w1[size_t(j * c + k)] * mean[size_t(k)];
      const double s = 1.0 / (1.0 + std::exp(-z));
      y += w2[size_t(j)] * z * s;
      const double slope = w2[size_t(j)] * s * (1.0 + z * (1.0 - s));
      for (Index k = 0; k < c; ++k)
        grad[size_t(k)] += slope * w1[size_t(j * c + k)];
    }
    for (Index i = lo; i < hi; ++i) {
      double d = y;
      for (Index k = 0; k < c; ++k)
        d += grad[size_t(k)] * (hv[size_t(i * c + k)] - mean[size_t(k)]);
      out[size_t(i)] = d;
    }
  }
  return out;
}

}  // namespace pf
