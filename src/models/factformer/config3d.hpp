// FactFormer-3D hyperparameters: the reference's 3D model (BaratiLab/FactFormer,
// examples/threed_smokesim_fact_lm.py) with its smoke configuration (configs/smoke3d_fact_lm.yml)
// as defaults.
#pragma once

#include "config/deck.hpp"
#include "core/types.hpp"

#include <string>

namespace pf {

struct FactFormer3DConfig {
  Index in_fields = 4;             // fields per input frame (density, vx, vy, vz)
  Index in_steps = 4;              // input frames (the reference's in_time_window)
  Index out_fields = 4;            // fields decoded per latent step
  Index dim = 128;                 // C, width of the encoder
  Index depth = 3;                 // Fourier-feature + FABlock3D layers
  Index heads = 6;                 // H
  Index dim_head = 64;             // Dh, channels of a head in the axial integral
  Index kernel_multiplier = 3;     // Dk = Dh × kernel_multiplier for the axis kernels' q and k
  double latent_multiplier = 1.5;  // latent width L = int(C × latent_multiplier)
  Index max_latent_steps = 4;      // rows of the learned latent-time embedding
  Index padding = 2;               // zero cells appended to each axis before the encoder
  double fourier_scale = 1.0;      // standard deviation of the frozen Fourier matrix _B
  Index fourier_features = 64;     // columns of _B (the reference uses C / 2)
  double domain_length = 8.0;      // coordinates run over [0, domain_length] per axis

  Index latent_dim() const { return static_cast<Index>(double(dim) * latent_multiplier); }
  Index kernel_dim() const { return dim_head * kernel_multiplier; }
  Index decoder_groups() const { return static_cast<Index>(8.0 * latent_multiplier); }
  // The reference scales the kernel by 1/√Dk only for kernel_multiplier > 4.
  double kernel_scale() const;

  // Throws InputError naming `source` and the "model.<name>" key of the first invalid value.
  void validate(const std::string& source = "<config>") const;
  // The configuration as TOML under [model] (the keys add_factformer3d_options declares).
  std::string to_toml() const;
};

// Declares "model.<name>" for every field above, documented, with the smoke defaults; names
// shared with FactFormer-2D (dim, depth, heads, ...) mean the same there.
void add_factformer3d_options(DeckSchema& schema);
// Reads and validates the options declared above.
FactFormer3DConfig factformer3d_config(const Deck& deck);

}  // namespace pf
