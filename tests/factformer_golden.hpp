// Golden FactFormer-2D and -3D cases written by tests/golden/make_factformer_golden.py: the
// configuration read back from the file's attributes and a model holding the file's weights.
#pragma once

#include "io/hdf5.hpp"
#include "models/factformer/factformer2d.hpp"
#include "models/factformer/factformer3d.hpp"
#include "train/checkpoint.hpp"

#include <memory>
#include <string>

namespace pf::test {

inline std::string golden_path(const std::string& name) {
  return std::string(PF_SOURCE_DIR) + "/tests/data/factformer2d_" + name + ".h5";
}

inline FactFormer2DConfig golden_config(const h5::File& f) {
  FactFormer2DConfig c;
  c.in_channels = f.int_attr("/", "in_channels");
  c.out_channels = f.int_attr("/", "out_channels");
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
  return c;
}

inline std::vector<NamedTensor> named_targets(const Module<float>& m) {
  std::vector<NamedTensor> out;
  for (auto& [name, t] : m.state_dict())
    out.push_back({name, t});
  return out;
}

inline std::unique_ptr<FactFormer2D> golden_model(const std::string& path) {
  const h5::File f = h5::File::open_read(path);
  Rng rng(5);
  auto model = std::make_unique<FactFormer2D>(golden_config(f), rng);
  load_params(path, named_targets(*model), /*allow_unexpected=*/false);
  return model;
}

inline std::string golden3d_path(const std::string& name) {
  return std::string(PF_SOURCE_DIR) + "/tests/data/factformer3d_" + name + ".h5";
}

inline FactFormer3DConfig golden3d_config(const h5::File& f) {
  FactFormer3DConfig c;
  c.in_fields = f.int_attr("/", "in_fields");
  c.in_steps = f.int_attr("/", "in_steps");
  c.out_fields = f.int_attr("/", "out_fields");
  c.dim = f.int_attr("/", "dim");
  c.depth = f.int_attr("/", "depth");
  c.heads = f.int_attr("/", "heads");
  c.dim_head = f.int_attr("/", "dim_head");
  c.kernel_multiplier = f.int_attr("/", "kernel_multiplier");
  c.latent_multiplier = f.double_attr("/", "latent_multiplier");
  c.max_latent_steps = f.int_attr("/", "max_latent_steps");
  c.padding = f.int_attr("/", "padding");
  c.fourier_scale = f.double_attr("/", "fourier_scale");
  c.fourier_features = f.int_attr("/", "fourier_features");
  c.domain_length = f.double_attr("/", "domain_length");
  return c;
}

inline std::unique_ptr<FactFormer3D> golden3d_model(const std::string& path) {
  const h5::File f = h5::File::open_read(path);
  Rng rng(5);
  auto model = std::make_unique<FactFormer3D>(golden3d_config(f), rng);
  load_params(path, named_targets(*model), /*allow_unexpected=*/false);
  return model;
}

}  // namespace pf::test
