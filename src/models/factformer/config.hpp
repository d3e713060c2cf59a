// FactFormer-2D hyperparameters: the reference's 2D model (BaratiLab/FactFormer,
// examples/turb_ns2d_fact_lm.py) with its Kolmogorov configuration as defaults.
#pragma once

#include "config/deck.hpp"
#include "core/types.hpp"

#include <string>

namespace pf {

struct FactFormer2DConfig {
  Index in_channels = 10;          // input window × fields, the last axis of the input
  Index out_channels = 1;          // fields decoded per latent step
  Index dim = 128;                 // C, width of the encoder
  Index depth = 4;                 // Fourier-feature + FABlock layers
  Index heads = 8;                 // H
  Index dim_head = 64;             // Dh, channels of a head in the axial integral
  Index kernel_multiplier = 2;     // Dk = Dh × kernel_multiplier for the axis kernels' q and k
  double latent_multiplier = 2.0;  // latent width L = int(C × latent_multiplier)
  Index max_latent_steps = 4;      // rows of the learned latent-time embedding
  double fourier_scale = 8.0;      // standard deviation of the frozen Fourier matrix _B
  Index fourier_features = 64;     // columns of _B (the reference uses C / 2)
  double domain_length = 6.283185307179586;  // coordinates run over [0, domain_length] per axis

  Index latent_dim() const { return static_cast<Index>(double(dim) * latent_multiplier); }
  Index kernel_dim() const { return dim_head * kernel_multiplier; }
  Index decoder_groups() const { return static_cast<Index>(8.0 * latent_multiplier); }
  // The reference scales the kernel by 1/√Dk only for kernel_multiplier > 4.
  double kernel_scale() const;

  // Throws InputError naming `source` and the "model.<name>" key of the first invalid value.
  void validate(const std::string& source = "<config>") const;
  // The configuration as TOML under [model] (the keys add_factformer2d_options declares).
  std::string to_toml() const;
};

// Declares "model.<name>" for every field above, documented, with the Kolmogorov defaults.
void add_factformer2d_options(DeckSchema& schema);
// Reads and validates the options declared above.
FactFormer2DConfig factformer2d_config(const Deck& deck);

}  // namespace pf
