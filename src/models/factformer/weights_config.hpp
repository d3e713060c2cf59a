// Reading FactFormer-2D's and -3D's shape hyperparameters off a weights file.
#pragma once

#include "models/factformer/config.hpp"
#include "models/factformer/config3d.hpp"

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

// True when the weights are FactFormer-3D's (the time-collapsing input convolution
// /params/to_in.2.weight is present), false for FactFormer-2D's (to_in.weight).
bool is_factformer3d_weights(const std::string& path);

// As above for FactFormer-3D: dim and in_steps (to_in.2.weight [C, C/2, in_steps, 1]), depth,
// heads, dim_head, kernel_multiplier, latent_multiplier, max_latent_steps (latent_time_emb),
// out_fields (simple_to_out.6.weight), fourier_features (_B). in_fields (the input convolution's
// group count), padding, fourier_scale and domain_length are not in the weights: they stay as in
// `base`.
FactFormer3DConfig factformer3d_config_from_weights(const std::string& path,
                                                    const FactFormer3DConfig& base,
                                                    std::vector<std::string>* inferred = nullptr);

}  // namespace pf
