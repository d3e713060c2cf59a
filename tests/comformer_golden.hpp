// Golden ComFormer cases written by tests/golden/make_comformer_golden.py: the crystals, the
// graph PyTorch's side built, the configuration, and weights loaded into a model of either
// precision.
#pragma once

#include "crystal/periodic_graph.hpp"
#include "io/hdf5.hpp"
#include "models/comformer/config.hpp"
#include "nn/module.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pf::test {

inline std::string comformer_golden_path(const std::string& name) {
  return std::string(PF_SOURCE_DIR) + "/tests/data/comformer_" + name + ".h5";
}

inline comformer::ComformerConfig comformer_golden_config(const h5::File& f) {
  comformer::ComformerConfig c;
  c.num_species = f.int_attr("/", "num_species");
  c.atom_input_features = f.int_attr("/", "atom_input_features");
  c.node_features = f.int_attr("/", "node_features");
  c.edge_features = f.int_attr("/", "edge_features");
  c.triplet_input_features = f.int_attr("/", "triplet_input_features");
  c.fc_features = f.int_attr("/", "fc_features");
  c.output_features = f.int_attr("/", "output_features");
  c.conv_layers = f.int_attr("/", "conv_layers");
  if (f.has_attr("/", "equi_scalars")) {
    c.equi_scalars = f.int_attr("/", "equi_scalars");
    c.equi_vectors = f.int_attr("/", "equi_vectors");
  }
  return c;
}

inline std::vector<crystal::Structure> comformer_golden_structures(const h5::File& f) {
  std::vector<crystal::Structure> out;
  for (int g = 0;; ++g) {
    const std::string base = "/structures/" + std::to_string(g);
    if (!f.exists(base)) break;
    crystal::Structure s;
    s.id = "golden structure " + std::to_string(g);
    const auto lattice = f.read<double>(base + "/lattice").values;
    const auto frac = f.read<double>(base + "/frac").values;
    for (int a = 0; a < 3; ++a)
      for (int k = 0; k < 3; ++k)
        s.lattice[a][k] = lattice[3 * a + k];
    for (std::int64_t z : f.read<std::int64_t>(base + "/species").values)
      s.species.push_back(int(z));
    for (std::size_t i = 0; i < s.species.size(); ++i)
      s.frac.push_back({frac[3 * i], frac[3 * i + 1], frac[3 * i + 2]});
    s.occupancy.assign(s.species.size(), 1.0);
    out.push_back(s);
  }
  return out;
}

// Copies /params/<name> into every state_dict entry of the model (all must be present, with
// PyTorch's shapes, and nothing else may be in the file).
template <class T>
void load_golden_params(const h5::File& f, const Module<T>& model) {
  const auto state = model.state_dict();
  ASSERT_EQ(f.list_datasets("/params").size(), state.size());
  for (const auto& [name, t] : state) {
    const auto a = f.read<double>("/params/" + name);
    ASSERT_EQ(a.shape, t.shape()) << name;
    const std::vector<T> v(a.values.begin(), a.values.end());
    Kokkos::deep_copy(t.data(), Tensor<T>::from_host(t.shape(), v).data());
  }
}

}  // namespace pf::test
