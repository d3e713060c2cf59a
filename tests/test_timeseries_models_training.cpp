// PatchTST and Pathformer learn: a few dozen Adam steps on windows of noisy sinusoids cut the
// forecast error well below that of the untrained model (training mode: dropout, gate noise,
// BatchNorm batch statistics and the balance loss all active).
#include "core/rng.hpp"
#include "models/timeseries/patchtst.hpp"
#include "models/timeseries/pathformer.hpp"
#include "optim/adam.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace pf {
namespace {

// B windows of C channels: x [B, L, C] and the continuation y [B, T, C] of sin(2πt/12 + φ)
// with channel-dependent amplitude and phase, plus small noise.
void make_batch(Index b, Index L, Index T, Index C, Rng& rng, Tensorf& x, Tensorf& y) {
  std::vector<float> xv(b * L * C), yv(b * T * C);
  for (Index i = 0; i < b; ++i) {
    const double shift = rng.uniform(0, 12);
    for (Index c = 0; c < C; ++c)
      for (Index t = 0; t < L + T; ++t) {
        const double v =
            (1 + 0.3 * c) * std::sin(2 * M_PI * (t + shift) / 12 + c) + 0.05 * rng.normal();
        if (t < L)
          xv[(i * L + t) * C + c] = float(v);
        else
          yv[(i * T + t - L) * C + c] = float(v);
      }
  }
  x = Tensorf::from_host({b, L, C}, xv);
  y = Tensorf::from_host({b, T, C}, yv);
}

double train_and_report(ts::Forecaster& model, Index L, Index T, Index C, int steps, double lr) {
  Rng data(1);
  Tensorf xt, yt;
  make_batch(64, L, T, C, data, xt, yt);  // held-out windows
  auto eval_mse = [&] {
    NoGradGuard no_grad;
    model.set_training(false);
    return mse_loss(model.forward(xt), yt).item();
  };
  const double before = eval_mse();
  Adam<float> adam(model.named_parameters(), AdamConfig{});
  for (int s = 0; s < steps; ++s) {
    model.set_training(true);
    Tensorf x, y;
    make_batch(16, L, T, C, data, x, y);
    adam.zero_grad();
    Tensorf loss = mse_loss(model.forward(x), y);
    if (model.auxiliary_loss().defined()) loss = add(loss, model.auxiliary_loss());
    loss.backward();
    adam.step(lr);
  }
  const double after = eval_mse();
  std::printf("[ %s ] held-out MSE %.4f -> %.4f after %d steps\n", model.name(), before, after,
              steps);
  return after / before;
}

// The series is a period-12 sinusoid: a model whose gradients are right cuts the untrained error
// by far more than 10x within these steps (measured 90x for PatchTST, 200x for Pathformer); a
// broken backward leaves it near the start.
TEST(TsModelTraining, PatchTSTLearnsASinusoid) {
  ts::PatchTSTConfig c;
  c.shape = {48, 12, 2};
  c.e_layers = 2, c.d_model = 16, c.n_heads = 4, c.d_ff = 32, c.patch_len = 8, c.stride = 4;
  c.dropout = 0.1;
  Rng rng(2);
  ts::PatchTST model(c, rng);
  EXPECT_LT(train_and_report(model, 48, 12, 2, 60, 3e-3), 0.1);
}

TEST(TsModelTraining, PathformerLearnsASinusoid) {
  ts::PathformerConfig c;
  c.shape = {24, 12, 2};
  c.d_model = 4, c.d_ff = 16, c.k = 2;
  c.patch_sizes = {{2, 4, 6}, {3, 12}};
  Rng rng(2);
  ts::Pathformer model(c, rng);
  EXPECT_LT(train_and_report(model, 24, 12, 2, 60, 3e-3), 0.1);
}

}  // namespace
}  // namespace pf
