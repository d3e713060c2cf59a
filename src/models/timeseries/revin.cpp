#include "models/timeseries/revin.hpp"

#include "nn/init.hpp"

namespace pf::ts {

RevIN::RevIN(Index channels, bool affine, bool subtract_last, double eps)
    : affine_(affine), subtract_last_(subtract_last), eps_(eps) {
  if (affine) {
    affine_weight = register_parameter("affine_weight", init::ones<float>({channels}));
    affine_bias = register_parameter("affine_bias", init::zeros<float>({channels}));
  }
}

Tensor<float> RevIN::norm(const Tensor<float>& x) {
  const Index L = x.dim(1);
  // The last value stays in the graph (the reference does not detach it); mean and σ do not.
  center_ = subtract_last_ ? slice(x, 1, L - 1, L) : mean(x.detach(), {1}, true);
  stdev_ = sqrt(affine(var(x.detach(), {1}, false, true), 1.0f, float(eps_)));
  Tensor<float> y = div(sub(x, center_), stdev_);
  if (affine_) y = add(mul(y, affine_weight), affine_bias);
  return y;
}

Tensor<float> RevIN::denorm(const Tensor<float>& y) const {
  Tensor<float> z = y;
  if (affine_) z = div(sub(z, affine_bias), affine(affine_weight, 1.0f, float(eps_ * eps_)));
  return add(mul(z, stdev_), center_);
}

}  // namespace pf::ts
