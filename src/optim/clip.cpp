#include "optim/clip.hpp"

#include "kernels/elementwise.hpp"
#include "kernels/reduce.hpp"

#include <cmath>

namespace pf {

template <class T>
double global_grad_norm(const NamedTensors<T>& params) {
  double total = 0;
  for (const auto& [name, p] : params)
    if (p.grad().extent(0)) total += double(kern::sum_of_squares<T>(p.grad()));
  return std::sqrt(total);
}

template <class T>
double clip_grad_norm(const NamedTensors<T>& params, double max_norm) {
  const double norm = global_grad_norm(params);
  if (max_norm <= 0 || !std::isfinite(norm)) return norm;
  const double coef = max_norm / (norm + 1e-6);
  if (coef < 1)
    for (const auto& [name, p] : params)
      if (p.grad().extent(0)) kern::affine_scalar<T>(p.grad(), T(coef), T(0), p.grad());
  return norm;
}

template double global_grad_norm<float>(const NamedTensors<float>&);
template double global_grad_norm<double>(const NamedTensors<double>&);
template double clip_grad_norm<float>(const NamedTensors<float>&, double);
template double clip_grad_norm<double>(const NamedTensors<double>&, double);

}  // namespace pf
