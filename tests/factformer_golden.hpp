// Golden FactFormer-2D and -3D cases written by tests/golden/make_factformer_golden.py: the
// configuration read back from the file's attributes and a model holding the file's weights.
#pragma once

#include "golden_compare.hpp"
#include "io/hdf5.hpp"
#include "models/factformer/factformer2d.hpp"
#include "models/factformer/factformer3d.hpp"
#include "tensor/ops.hpp"
#include "train/checkpoint.hpp"

#include <gtest/gtest.h>

#include <cstdio>

#include <memory>
#include <string>

namespace pf::test {

inline std::string golden_path(const std::string& name) {
  return std::string(PF_SOURCE_DIR) + "/tests/data/factformer2d_" + name + ".h5";
}

inline std::string golden3d_path(const std::string& name) {
  return std::string(PF_SOURCE_DIR) + "/tests/data/factformer3d_" + name + ".h5";
}

// The options FactFormer-2D and -3D share, from the file's root attributes of the same names.
template <class Config>
void read_shared_attrs(const h5::File& f, Config& c) {
  c.dim = f.int_attr("/", "dim");
  c.depth = f.int_attr("/", "depth");
  c.heads = f.int_attr("/", "heads");
  c.dim_head = f.int_attr("/", "dim_head");
  c.kernel_multiplier = f.int_attr("/", "kernel_multiplier");
  c.latent_multiplier = f.double_attr("/", "latent_multiplier");
  c.max_latent_steps = f.int_attr("/", "max_latent_steps");
  c.fourier_scale = f.double_attr("/", "fourier_scale");
  c.fourier_features = f.int_attr("/", "fourier_features");
  c.domain_length = f.double_attr("/", "domain_length");
}

inline FactFormer2DConfig golden_config(const h5::File& f) {
  FactFormer2DConfig c;
  c.in_channels = f.int_attr("/", "in_channels");
  c.out_channels = f.int_attr("/", "out_channels");
  read_shared_attrs(f, c);
  return c;
}

inline FactFormer3DConfig golden3d_config(const h5::File& f) {
  FactFormer3DConfig c;
  c.in_fields = f.int_attr("/", "in_fields");
  c.in_steps = f.int_attr("/", "in_steps");
  c.out_fields = f.int_attr("/", "out_fields");
  c.padding = f.int_attr("/", "padding");
  read_shared_attrs(f, c);
  return c;
}

// A model built from the file's configuration, holding the file's weights (all of them).
template <class Model, class Config>
std::unique_ptr<Model> load_golden_model(const std::string& path,
                                         Config (*config)(const h5::File&)) {
  const h5::File f = h5::File::open_read(path);
  Rng rng(5);
  auto model = std::make_unique<Model>(config(f), rng);
  load_params(path, as_named(model->state_dict()), /*allow_unexpected=*/false);
  return model;
}

inline std::unique_ptr<FactFormer2D> golden_model(const std::string& path) {
  return load_golden_model<FactFormer2D>(path, golden_config);
}

inline std::unique_ptr<FactFormer3D> golden3d_model(const std::string& path) {
  return load_golden_model<FactFormer3D>(path, golden3d_config);
}

// Runs `model` (the file's weights loaded) on the file's input for its latent_steps, with loss =
// rel-L2 against the file's target, and compares output and loss (within output_tol of the
// reference's RMS and of the loss), every parameter's gradient and the input's (grad_tol of each
// reference gradient's RMS) with PyTorch's.
template <class Model>
void expect_factformer_matches_golden(Model& model, const std::string& path,
                                      const std::string& label, double output_tol,
                                      double grad_tol) {
  const h5::File f = h5::File::open_read(path);
  const Index steps = f.int_attr("/", "latent_steps");

  Tensor<float> input = h5::read_tensor(f, "/input");
  input.set_requires_grad(true);
  const Tensor<float> target = h5::read_tensor(f, "/target");
  const auto want = f.read<double>("/output");

  const Tensor<float> out = model.forward(input, steps);
  ASSERT_EQ(out.shape(), want.shape);
  const double out_err = max_error_over_rms(out.to_host(), want.values);
  EXPECT_LT(out_err, output_tol) << "forward";

  const Tensor<float> loss = rel_l2_loss(out, target);
  const double want_loss = f.read<double>("/loss").values.at(0);
  EXPECT_NEAR(loss.item(), want_loss, output_tol * want_loss);
  loss.backward();

  double worst = 0;
  std::string worst_name;
  Index checked = 0;
  for (const auto& [name, p] : model.named_parameters()) {
    const std::string key = "/grad/" + name;
    ASSERT_TRUE(f.exists(key)) << key;
    ASSERT_EQ(Index(p.grad().extent(0)), p.numel()) << name << " has no gradient";
    const double err =
        max_error_over_rms(host_grad(p.grad(), p.numel()), f.read<double>(key).values);
    EXPECT_LT(err, grad_tol) << name;
    if (err > worst) worst = err, worst_name = name;
    ++checked;
  }
  EXPECT_EQ(checked, Index(f.list_datasets("/grad").size()));
  const double in_err = max_error_over_rms(host_grad(input.grad(), input.numel()),
                                           f.read<double>("/grad_input").values);
  EXPECT_LT(in_err, grad_tol) << "input gradient";
  std::printf(
      "[ %s ] output error %.2e of RMS; worst parameter gradient %.2e (%s); input "
      "gradient %.2e\n",
      label.c_str(), out_err, worst, worst_name.c_str(), in_err);
}

}  // namespace pf::test
