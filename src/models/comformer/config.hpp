// ComFormer's sizes (divelab/AIRS comformer.py iComformerConfig / eComformerConfig defaults).
#pragma once

#include "core/types.hpp"

namespace pf::comformer {

struct ComformerConfig {
  // The reference feeds the 92 CGCNN features of each element (a data table in jarvis-tools
  // that we do not copy); here they are a learned table "atom_features.weight"
  // [num_species, atom_input_features] ahead of the reference's atom_embedding
  // Linear(92 → node_features), so the reference's weights keep their names and shapes and a
  // user holding the CGCNN table can load it into that row table.
  Index num_species = 119;  // Z = 0..118
  Index atom_input_features = 92;
  Index node_features = 256;           // C
  Index edge_features = 256;           // RBF bins of −0.75/|r|
  Index triplet_input_features = 256;  // RBF bins of cos(r, lat_k)
  Index fc_features = 256;
  Index output_features = 1;
  Index conv_layers = 4;  // iComformer: 4 (conv, edge update, conv ×3); eComformer: 3
  // eComformer's equivariant layer: ns scalars, nv copies of l = 1 and l = 2.
  Index equi_scalars = 64;
  Index equi_vectors = 8;
};

inline ComformerConfig icomformer_config() {
  return ComformerConfig{};
}
inline ComformerConfig ecomformer_config() {
  ComformerConfig c;
  c.conv_layers = 3;
  return c;
}

}  // namespace pf::comformer
