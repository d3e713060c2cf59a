#include "models/factformer/config_shared.hpp"

namespace pf::factformer {

void add_trunk_options(DeckSchema& schema, const SharedDefaults& d) {
  using O = OptionType;
  schema.add({"model.dim", O::Int, "128", "encoder width C (a multiple of 8)"});
  schema.add({"model.depth", O::Int, d.depth, "Fourier-feature + factorized-attention layers"});
  schema.add({"model.heads", O::Int, d.heads, "heads of the axial integral"});
  schema.add({"model.dim_head", O::Int, "64", "channels per head in the axial integral"});
  schema.add({"model.kernel_multiplier", O::Int, d.kernel_multiplier,
              "axis-kernel query/key width = dim_head × this; above 4 the kernel is scaled by "
              "1/sqrt(width)"});
  schema.add({"model.latent_multiplier", O::Float, d.latent_multiplier,
              "latent width = int(dim × this); the decoder uses int(8 × this) norm groups"});
  schema.add({"model.max_latent_steps", O::Int, "4",
              "latent time steps with a learned embedding (most steps per call)"});
}

void add_fourier_options(DeckSchema& schema, const SharedDefaults& d) {
  using O = OptionType;
  schema.add({"model.fourier_scale", O::Float, d.fourier_scale,
              "standard deviation of the frozen Gaussian Fourier-feature matrix"});
  schema.add({"model.fourier_features", O::Int, "64",
              "Gaussian Fourier features per layer (the reference uses dim / 2)"});
  schema.add({"model.domain_length", O::Float, d.domain_length, d.domain_length_doc});
}

}  // namespace pf::factformer
