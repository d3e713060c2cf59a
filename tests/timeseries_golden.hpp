// Golden PatchTST / Pathformer cases written by tests/golden/make_timeseries_models_golden.py:
// the configuration read back from the file's attributes, a model holding the file's weights,
// and the comparison of output, loss and every gradient against the fp64 PyTorch values.
#pragma once

#include "golden_compare.hpp"
#include "io/hdf5.hpp"
#include "models/timeseries/patchtst.hpp"
#include "models/timeseries/pathformer.hpp"
#include "train/checkpoint.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace pf::test {

inline std::string ts_golden_path(const std::string& name) {
  return std::string(PF_SOURCE_DIR) + "/tests/data/ts_" + name + ".h5";
}

inline ts::ForecastShape ts_golden_shape(const h5::File& f) {
  return {f.int_attr("/", "seq_len"), f.int_attr("/", "pred_len"), f.int_attr("/", "channels")};
}

inline ts::PatchTSTConfig patchtst_golden_config(const h5::File& f) {
  ts::PatchTSTConfig c;
  c.shape = ts_golden_shape(f);
  c.e_layers = f.int_attr("/", "e_layers");
  c.n_heads = f.int_attr("/", "n_heads");
  c.d_model = f.int_attr("/", "d_model");
  c.d_ff = f.int_attr("/", "d_ff");
  c.dropout = f.double_attr("/", "dropout");
  c.head_dropout = f.double_attr("/", "head_dropout");
  c.patch_len = f.int_attr("/", "patch_len");
  c.stride = f.int_attr("/", "stride");
  c.padding_end = f.string_attr("/", "padding_patch") == "end";
  c.revin = f.bool_attr("/", "revin");
  c.affine = f.bool_attr("/", "affine");
  c.subtract_last = f.bool_attr("/", "subtract_last");
  c.individual = f.bool_attr("/", "individual");
  return c;
}

inline ts::PathformerConfig pathformer_golden_config(const h5::File& f) {
  ts::PathformerConfig c;
  c.shape = ts_golden_shape(f);
  c.d_model = f.int_attr("/", "d_model");
  c.d_ff = f.int_attr("/", "d_ff");
  c.k = f.int_attr("/", "k");
  const auto experts = f.int_array_attr("/", "num_experts_list");
  const auto sizes = f.int_array_attr("/", "patch_size_list");
  c.patch_sizes.clear();
  size_t at = 0;
  for (auto e : experts) {
    c.patch_sizes.emplace_back(sizes.begin() + at, sizes.begin() + at + e);
    at += e;
  }
  c.residual_connection = f.bool_attr("/", "residual_connection");
  c.revin = f.bool_attr("/", "revin");
  c.batch_norm = f.bool_attr("/", "batch_norm");
  c.dropout = f.double_attr("/", "dropout");
  c.ffn_dropout = f.double_attr("/", "ffn_dropout");
  c.balance_loss_coef = f.double_attr("/", "loss_coef");
  c.reference_combine = f.string_attr("/", "combine") == "reference";
  c.reference_inter_layout = f.string_attr("/", "inter_layout") == "reference";
  return c;
}

inline void load_golden_weights(const std::string& path, const Module<float>& m) {
  load_params(path, as_named(m.state_dict()), /*allow_unexpected=*/false);
}

struct GoldenTolerance {
  double output, gradient;
};

// Runs `model` (weights already loaded) on the file's input in the file's mode, with loss =
// MSE(output, target) + the model's auxiliary loss, and compares with the stored values.
inline void expect_matches_golden(ts::Forecaster& model, const std::string& path,
                                  GoldenTolerance tol) {
  const h5::File f = h5::File::open_read(path);
  model.set_training(f.bool_attr("/", "training"));
  Tensor<float> input = h5::read_tensor(f, "/input");
  input.set_requires_grad(true);
  const Tensor<float> target = h5::read_tensor(f, "/target");
  const auto want = f.read<double>("/output");

  const Tensor<float> out = model.forward(input);
  ASSERT_EQ(out.shape(), want.shape);
  const double out_err = max_error_over_rms(out.to_host(), want.values);
  EXPECT_LT(out_err, tol.output) << "forward";

  Tensor<float> loss = mse_loss(out, target);
  const Tensor<float> aux = model.auxiliary_loss();
  const double want_aux = f.read<double>("/aux_loss").values.at(0);
  if (aux.defined()) {
    EXPECT_NEAR(aux.item(), want_aux, tol.output * std::max(1e-3, want_aux)) << "auxiliary loss";
    loss = add(loss, aux);
  } else {
    EXPECT_EQ(want_aux, 0.0);
  }
  const double want_loss = f.read<double>("/loss").values.at(0);
  EXPECT_NEAR(loss.item(), want_loss, tol.output * want_loss) << "loss";
  loss.backward();

  double worst = 0;
  std::string worst_name;
  Index checked = 0;
  for (const auto& [name, p] : model.named_parameters()) {
    const std::string key = "/grad/" + name;
    ASSERT_TRUE(f.exists(key)) << key;
    const double err =
        max_error_over_rms(host_grad(p.grad(), p.numel()), f.read<double>(key).values, 1e-3);
    EXPECT_LT(err, tol.gradient) << name;
    if (err > worst) worst = err, worst_name = name;
    ++checked;
  }
  EXPECT_EQ(checked, Index(f.list_datasets("/grad").size()));
  const double in_err = max_error_over_rms(host_grad(input.grad(), input.numel()),
                                           f.read<double>("/grad_input").values);
  EXPECT_LT(in_err, tol.gradient) << "input gradient";

  // Training forwards update BatchNorm's running statistics as torch does.
  double stat_err = 0;
  if (f.exists("/after")) {
    for (const auto& [name, b] : model.named_buffers()) {
      if (name.find("running") == std::string::npos) continue;
      const std::string key = "/after/" + name;
      ASSERT_TRUE(f.exists(key)) << key;
      const auto want_b = f.read<double>(key);
      const auto got = b.to_host();
      for (size_t i = 0; i < got.size(); ++i)
        stat_err = std::max(stat_err, std::abs(double(got[i]) - want_b.values[i]));
    }
    EXPECT_LT(stat_err, tol.output) << "running statistics";
  }
  std::printf(
      "[ %s ] output %.2e of RMS; worst parameter gradient %.2e (%s); input gradient %.2e; "
      "running stats %.2e\n",
      path.substr(path.rfind('/') + 1).c_str(), out_err, worst, worst_name.c_str(), in_err,
      stat_err);
}

}  // namespace pf::test
