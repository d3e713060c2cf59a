// Reading FactFormer-2D's shape hyperparameters off a weights file.
#pragma once

#include "models/factformer/config.hpp"

#include <string>
#include <vector>

namespace pf {

// Every hyperparameter that fixes a weight's shape, read from the /params datasets of `path`
// (a converted PyTorch state_dict or our checkpoint): in_channels, dim (to_in.weight),
// depth (encoder.layers.<l>), heads and kernel_multiplier (to_q rows / 2·inv_freq, to_v rows),
// dim_head, latent_multiplier (expand_latent rows / dim), max_latent_steps (latent_time_emb),
// out_channels (simple_to_out.6.weight), fourier_features (_B). fourier_scale and domain_length
// are not in the weights: they stay as in `base`. `inferred` (if given) receives "key = value"
// lines for the log. Missing or inconsistent datasets are an InputError naming the file and key.
FactFormer2DConfig factformer2d_config_from_weights(const std::string& path,
                                                    const FactFormer2DConfig& base,
                                                    std::vector<std::string>* inferred = nullptr);

}  // namespace pf
