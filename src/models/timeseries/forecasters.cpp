#include "models/timeseries/forecasters.hpp"

#include "core/error.hpp"
#include "models/timeseries/decomposition.hpp"
#include "models/timeseries/ops.hpp"
#include "tensor/ops.hpp"

namespace pf::ts {

LinearForecaster::LinearForecaster(ForecastShape s, bool individual, Rng& rng)
    : linear_(register_module("Linear", std::make_shared<LinearHeads>(
                                            s.seq_len, s.pred_len, s.channels, individual, rng))) {}

Tensor<float> LinearForecaster::forward(const Tensor<float>& x) {
  return linear_->forward(x);
}

NLinearForecaster::NLinearForecaster(ForecastShape s, bool individual, Rng& rng)
    : linear_(register_module("Linear", std::make_shared<LinearHeads>(
                                            s.seq_len, s.pred_len, s.channels, individual, rng))) {}

Tensor<float> NLinearForecaster::forward(const Tensor<float>& x) {
  // x [B, L, C] -> [B, T, C]
  const Index b = x.dim(0), len = x.dim(1), c = x.dim(2);
  if (linear_->individual()) {
    const Tensor<float> last = slice(x, 1, len - 1, len).detach();
    return add(linear_->forward(sub(x, last)), last);
  }
  // Time-major [L, B·C]: the last row is one row vector, shifted off and back by row kernels.
  const Tensor<float> xt = reshape(swap_leading_axes(x), {len, b * c});
  const Tensor<float> last = slice(xt, 0, len - 1, len).detach();
  const Tensor<float> y =
      shift_rows(linear_->forward_time_major(shift_rows(xt, last, -1.f)), last, 1.f);
  return swap_leading_axes(reshape(y, {y.dim(0), b, c}));
}

DLinearForecaster::DLinearForecaster(ForecastShape s, bool individual, Index moving_avg, Rng& rng)
    : kernel_(moving_avg) {
  if (moving_avg < 1)
    throw InputError("option 'model.moving_avg': expected a kernel of at least 1 row, found " +
                     std::to_string(moving_avg));
  seasonal_ = register_module(
      "Linear_Seasonal",
      std::make_shared<LinearHeads>(s.seq_len, s.pred_len, s.channels, individual, rng));
  trend_ = register_module("Linear_Trend", std::make_shared<LinearHeads>(
                                               s.seq_len, s.pred_len, s.channels, individual, rng));
}

Tensor<float> DLinearForecaster::forward(const Tensor<float>& x) {
  // x [B, L, C] -> [B, T, C]
  if (seasonal_->individual()) {
    const Decomposition<float> d = series_decomp(x, kernel_);
    return add(seasonal_->forward(d.seasonal), trend_->forward(d.trend));
  }
  // Shared heads: change the layout once to time-major [L, B·C] (a single series of B·C
  // channels for the moving average), two GEMMs, and back once.
  const Index b = x.dim(0), len = x.dim(1), c = x.dim(2), n = b * c;
  const Decomposition<float> d = series_decomp(reshape(swap_leading_axes(x), {1, len, n}), kernel_);
  const Tensor<float> y = add(seasonal_->forward_time_major(reshape(d.seasonal, {len, n})),
                              trend_->forward_time_major(reshape(d.trend, {len, n})));
  return swap_leading_axes(reshape(y, {y.dim(0), b, c}));
}

}  // namespace pf::ts
