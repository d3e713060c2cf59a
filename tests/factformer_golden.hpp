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

}  // namespace pf::test
