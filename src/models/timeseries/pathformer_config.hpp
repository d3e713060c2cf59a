// Pathformer's configuration and deck options (model.pathformer.*), with the switches that pick
// the paper's or the reference code's behaviour where the two differ (docs/timeseries-models.md).
#pragma once

#include "config/deck.hpp"
#include "models/timeseries/forecaster.hpp"

#include <vector>

namespace pf::ts {

struct PathformerConfig {
  ForecastShape shape;
  Index d_model = 4;
  Index d_ff = 64;
  Index k = 3;  // experts chosen per sample in every layer
  // Patch sizes of each layer's experts (one layer per entry); each divides seq_len.
  std::vector<std::vector<Index>> patch_sizes = {{16, 12, 8, 32}, {12, 8, 6, 4}, {8, 6, 4, 2}};
  bool residual_connection = true;
  bool revin = true;
  bool batch_norm = false;
  double dropout = 0.1;      // hard-coded 0.1 in the reference
  double ffn_dropout = 0.2;  // hard-coded 0.2 in the reference
  double balance_loss_coef = 0.01;
  // Reference behaviour: experts combined as log Σ g·exp(y) (SparseDispatcher.combine), and the
  // inter-patch output raw-reshaped to [B, L, N, D]. Paper (default): Σ g·y, and permuted back.
  bool reference_combine = false;
  bool reference_inter_layout = false;
};

// Declares model.pathformer.* with the reference's ETTh1 96→96 script settings as defaults.
void add_pathformer_options(DeckSchema& schema);
// Reads and validates them (patch sizes that divide seq_len, k ≤ experts, even d_model, ...);
// InputError names the deck, the key, what was expected and what was found.
PathformerConfig pathformer_config(const Deck& deck, const ForecastShape& shape);

}  // namespace pf::ts
