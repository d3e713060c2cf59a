// The hyperparameters FactFormer-2D and -3D share (dim, depth, heads, ..., the Fourier
// features): one declaration, reading, check and TOML text for both. Each piece comes in two
// parts, trunk (dim .. max_latent_steps) and Fourier (fourier_scale .. domain_length), so that a
// model's own options keep their place between them in decks and messages.
#pragma once

#include "config/deck.hpp"
#include "config/deck_checks.hpp"
#include "core/types.hpp"

#include <cmath>
#include <ostream>
#include <string>

namespace pf::factformer {

// Defaults (TOML literals) where the 2D and 3D references differ.
struct SharedDefaults {
  const char* depth;
  const char* heads;
  const char* kernel_multiplier;
  const char* latent_multiplier;
  const char* fourier_scale;
  const char* domain_length;
  const char* domain_length_doc;
};

void add_trunk_options(DeckSchema& schema, const SharedDefaults& defaults);
void add_fourier_options(DeckSchema& schema, const SharedDefaults& defaults);

// "model.<key>" of the configuration read from `source`, for InputError messages.
inline void require_model(bool ok, const std::string& source, const std::string& key,
                          const std::string& expected, const std::string& found) {
  require_value(ok, source, "model." + key, expected, found);
}
inline std::string model_text(Index v) {
  return std::to_string(v);
}
inline std::string model_text(double v) {
  return stream_text(v);
}

template <class Config>
void read_trunk(const Deck& deck, Config& c) {
  c.dim = deck.get_int("model.dim");
  c.depth = deck.get_int("model.depth");
  c.heads = deck.get_int("model.heads");
  c.dim_head = deck.get_int("model.dim_head");
  c.kernel_multiplier = deck.get_int("model.kernel_multiplier");
  c.latent_multiplier = deck.get_float("model.latent_multiplier");
  c.max_latent_steps = deck.get_int("model.max_latent_steps");
}

template <class Config>
void read_fourier(const Deck& deck, Config& c) {
  c.fourier_scale = deck.get_float("model.fourier_scale");
  c.fourier_features = deck.get_int("model.fourier_features");
  c.domain_length = deck.get_float("model.domain_length");
}

// Checks from depth on; dim is checked by the caller, whose own constraints on it come first.
template <class Config>
void validate_trunk(const Config& c, const std::string& source) {
  require_model(c.depth >= 1, source, "depth", "at least 1", model_text(c.depth));
  require_model(c.heads >= 1, source, "heads", "at least 1", model_text(c.heads));
  require_model(c.dim_head >= 1, source, "dim_head", "at least 1", model_text(c.dim_head));
  require_model(c.kernel_multiplier >= 1, source, "kernel_multiplier", "at least 1",
                model_text(c.kernel_multiplier));
  // Rotary embedding rotates channel pairs (first half against second half).
  require_model(c.kernel_dim() % 2 == 0, source, "kernel_multiplier",
                "dim_head × kernel_multiplier even (rotary embedding pairs channels)",
                model_text(c.kernel_dim()));
  require_model(c.latent_multiplier > 0 && std::isfinite(c.latent_multiplier), source,
                "latent_multiplier", "a positive number", model_text(c.latent_multiplier));
  const Index g = c.decoder_groups(), l = c.latent_dim();
  require_model(g >= 1 && l >= 1 && l % g == 0 && l % 8 == 0, source, "latent_multiplier",
                "int(dim × latent_multiplier) divisible by 8 and by int(8 × latent_multiplier) "
                "(decoder group norm and grouped convolution)",
                model_text(c.latent_multiplier) + " (latent width " + model_text(l) + ", " +
                    model_text(g) + " groups)");
  require_model(c.max_latent_steps >= 1, source, "max_latent_steps", "at least 1",
                model_text(c.max_latent_steps));
}

template <class Config>
void validate_fourier(const Config& c, const std::string& source) {
  require_model(c.fourier_scale > 0 && std::isfinite(c.fourier_scale), source, "fourier_scale",
                "a positive number", model_text(c.fourier_scale));
  require_model(c.fourier_features >= 1, source, "fourier_features", "at least 1",
                model_text(c.fourier_features));
  require_model(c.domain_length > 0 && std::isfinite(c.domain_length), source, "domain_length",
                "a positive number", model_text(c.domain_length));
}

// "\ndim = ..." through "\nmax_latent_steps = ..." (no trailing newline); floats with a point.
template <class Config>
void write_trunk_toml(std::ostream& s, const Config& c) {
  s << "\ndim = " << c.dim << "\ndepth = " << c.depth << "\nheads = " << c.heads
    << "\ndim_head = " << c.dim_head << "\nkernel_multiplier = " << c.kernel_multiplier
    << "\nlatent_multiplier = " << std::showpoint << c.latent_multiplier << std::noshowpoint
    << "\nmax_latent_steps = " << c.max_latent_steps;
}

// "\nfourier_scale = ..." through "domain_length = ...\n".
template <class Config>
void write_fourier_toml(std::ostream& s, const Config& c) {
  s << "\nfourier_scale = " << std::showpoint << c.fourier_scale
    << "\nfourier_features = " << std::noshowpoint << c.fourier_features
    << "\ndomain_length = " << std::showpoint << c.domain_length << "\n";
}

}  // namespace pf::factformer
