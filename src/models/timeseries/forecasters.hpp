// The LTSF-Linear family (cure-lab/LTSF-Linear models/Linear.py, NLinear.py, DLinear.py):
// time-axis linear maps on [B, L, C] series, parameter names as the reference's state_dict.
#pragma once

#include "models/timeseries/forecaster.hpp"
#include "models/timeseries/linear_heads.hpp"

#include <memory>

namespace pf::ts {

// y = Linear(x) along time. Parameters Linear.weight [T, L], Linear.bias [T] (or Linear.<c>.*).
class LinearForecaster : public Forecaster {
 public:
  LinearForecaster(ForecastShape shape, bool individual, Rng& rng);
  Tensor<float> forward(const Tensor<float>& x) override;
  const char* name() const override { return "linear"; }

 private:
  std::shared_ptr<LinearHeads> linear_;
};

// y = Linear(x − x[L−1]) + x[L−1], the last row detached as in the reference.
class NLinearForecaster : public Forecaster {
 public:
  NLinearForecaster(ForecastShape shape, bool individual, Rng& rng);
  Tensor<float> forward(const Tensor<float>& x) override;
  const char* name() const override { return "nlinear"; }

 private:
  std::shared_ptr<LinearHeads> linear_;
};

// trend = moving average of x (kernel `moving_avg`, replicate padding), seasonal = x − trend;
// y = Linear_Seasonal(seasonal) + Linear_Trend(trend). The reference hard-codes kernel 25.
class DLinearForecaster : public Forecaster {
 public:
  DLinearForecaster(ForecastShape shape, bool individual, Index moving_avg, Rng& rng);
  Tensor<float> forward(const Tensor<float>& x) override;
  const char* name() const override { return "dlinear"; }

 private:
  Index kernel_;
  std::shared_ptr<LinearHeads> seasonal_, trend_;
};

}  // namespace pf::ts
