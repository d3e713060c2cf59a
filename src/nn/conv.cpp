#include "nn/conv.hpp"

#include "core/error.hpp"
#include "nn/init.hpp"

#include <cmath>
#include <string>

namespace pf {

template <class T>
Conv3d<T>::Conv3d(Index in, Index out, Index kernel, Index stride, Index padding, bool has_bias,
                  Rng& rng)
    : stride_(stride), padding_(padding) {
  if (in < 1 || out < 1 || kernel < 1 || stride < 1 || padding < 0)
    throw ShapeError("Conv3d: in " + std::to_string(in) + ", out " + std::to_string(out) +
                     ", kernel " + std::to_string(kernel) + ", stride " + std::to_string(stride) +
                     ", padding " + std::to_string(padding) +
                     ": channels, kernel and stride must be ≥ 1 and padding ≥ 0");
  // kaiming_uniform(a = √5) and the bias draw both come to U(±1/√fan_in), fan_in = in·k³.
  const double bound = 1.0 / std::sqrt(double(in * kernel * kernel * kernel));
  weight = this->register_parameter(
      "weight", init::uniform<T>({out, in, kernel, kernel, kernel}, bound, rng));
  if (has_bias) bias = this->register_parameter("bias", init::uniform<T>({out}, bound, rng));
}

template class Conv3d<float>;
template class Conv3d<double>;

}  // namespace pf
