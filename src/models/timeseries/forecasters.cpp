#include "models/timeseries/forecasters.hpp"

#include "core/error.hpp"
#include "models/timeseries/decomposition.hpp"
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
  const Index len = x.dim(1);
  const Tensor<float> last = slice(x, 1, len - 1, len).detach();
  return add(linear_->forward(sub(x, last)), last);
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
  const Decomposition<float> d = series_decomp(x, kernel_);
  return add(seasonal_->forward(d.seasonal), trend_->forward(d.trend));
}

}  // namespace pf::ts
