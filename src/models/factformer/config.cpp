#include "models/factformer/config.hpp"

#include "config/deck_checks.hpp"

#include <cmath>
#include <sstream>

namespace pf {

double FactFormer2DConfig::kernel_scale() const {
  return kernel_multiplier > 4 ? 1.0 / std::sqrt(double(kernel_dim())) : 1.0;
}

namespace {
void require(bool ok, const std::string& source, const std::string& key,
             const std::string& expected, const std::string& found) {
  require_value(ok, source, "model." + key, expected, found);
}
std::string str(Index v) {
  return std::to_string(v);
}
std::string str(double v) {
  return stream_text(v);
}
}  // namespace

void FactFormer2DConfig::validate(const std::string& source) const {
  require(in_channels >= 1, source, "in_channels", "at least 1", str(in_channels));
  require(out_channels >= 1, source, "out_channels", "at least 1", str(out_channels));
  // The decoder's first grouped convolution splits C into 8 groups and halves it afterwards.
  require(dim >= 8 && dim % 8 == 0, source, "dim", "a positive multiple of 8", str(dim));
  require(depth >= 1, source, "depth", "at least 1", str(depth));
  require(heads >= 1, source, "heads", "at least 1", str(heads));
  require(dim_head >= 1, source, "dim_head", "at least 1", str(dim_head));
  require(kernel_multiplier >= 1, source, "kernel_multiplier", "at least 1",
          str(kernel_multiplier));
  // Rotary embedding rotates channel pairs (first half against second half).
  require(kernel_dim() % 2 == 0, source, "kernel_multiplier",
          "dim_head × kernel_multiplier even (rotary embedding pairs channels)", str(kernel_dim()));
  require(latent_multiplier > 0 && std::isfinite(latent_multiplier), source, "latent_multiplier",
          "a positive number", str(latent_multiplier));
  const Index g = decoder_groups(), l = latent_dim();
  require(g >= 1 && l >= 1 && l % g == 0 && l % 8 == 0, source, "latent_multiplier",
          "int(dim × latent_multiplier) divisible by 8 and by int(8 × latent_multiplier) "
          "(decoder group norm and grouped convolution)",
          str(latent_multiplier) + " (latent width " + str(l) + ", " + str(g) + " groups)");
  require(max_latent_steps >= 1, source, "max_latent_steps", "at least 1", str(max_latent_steps));
  require(fourier_scale > 0 && std::isfinite(fourier_scale), source, "fourier_scale",
          "a positive number", str(fourier_scale));
  require(fourier_features >= 1, source, "fourier_features", "at least 1", str(fourier_features));
  require(domain_length > 0 && std::isfinite(domain_length), source, "domain_length",
          "a positive number", str(domain_length));
}

std::string FactFormer2DConfig::to_toml() const {
  std::ostringstream s;
  s.precision(17);
  s << "[model]\n"
    << "in_channels = " << in_channels << "\nout_channels = " << out_channels << "\ndim = " << dim
    << "\ndepth = " << depth << "\nheads = " << heads << "\ndim_head = " << dim_head
    << "\nkernel_multiplier = " << kernel_multiplier << "\nlatent_multiplier = " << std::showpoint
    << latent_multiplier << std::noshowpoint << "\nmax_latent_steps = " << max_latent_steps
    << "\nfourier_scale = " << std::showpoint << fourier_scale
    << "\nfourier_features = " << std::noshowpoint << fourier_features
    << "\ndomain_length = " << std::showpoint << domain_length << "\n";
  return s.str();
}

void add_factformer2d_options(DeckSchema& schema) {
  using O = OptionType;
  schema.add({"model.in_channels", O::Int, "10",
              "input channels: past frames × fields (the reference's in_time_window)"});
  schema.add({"model.out_channels", O::Int, "1", "fields decoded per latent step"});
  schema.add({"model.dim", O::Int, "128", "encoder width C (a multiple of 8)"});
  schema.add({"model.depth", O::Int, "4", "Fourier-feature + factorized-attention layers"});
  schema.add({"model.heads", O::Int, "8", "heads of the axial integral"});
  schema.add({"model.dim_head", O::Int, "64", "channels per head in the axial integral"});
  schema.add({"model.kernel_multiplier", O::Int, "2",
              "axis-kernel query/key width = dim_head × this; above 4 the kernel is scaled by "
              "1/sqrt(width)"});
  schema.add({"model.latent_multiplier", O::Float, "2.0",
              "latent width = int(dim × this); the decoder uses int(8 × this) norm groups"});
  schema.add({"model.max_latent_steps", O::Int, "4",
              "latent time steps with a learned embedding (most steps per call)"});
  schema.add({"model.fourier_scale", O::Float, "8.0",
              "standard deviation of the frozen Gaussian Fourier-feature matrix"});
  schema.add({"model.fourier_features", O::Int, "64",
              "Gaussian Fourier features per layer (the reference uses dim / 2)"});
  schema.add({"model.domain_length", O::Float, "6.283185307179586",
              "grid coordinates run over [0, domain_length] on each axis (2π for Kolmogorov "
              "flow)"});
}

FactFormer2DConfig factformer2d_config(const Deck& deck) {
  FactFormer2DConfig c;
  c.in_channels = deck.get_int("model.in_channels");
  c.out_channels = deck.get_int("model.out_channels");
  c.dim = deck.get_int("model.dim");
  c.depth = deck.get_int("model.depth");
  c.heads = deck.get_int("model.heads");
  c.dim_head = deck.get_int("model.dim_head");
  c.kernel_multiplier = deck.get_int("model.kernel_multiplier");
  c.latent_multiplier = deck.get_float("model.latent_multiplier");
  c.max_latent_steps = deck.get_int("model.max_latent_steps");
  c.fourier_scale = deck.get_float("model.fourier_scale");
  c.fourier_features = deck.get_int("model.fourier_features");
  c.domain_length = deck.get_float("model.domain_length");
  c.validate(deck.source());
  return c;
}

}  // namespace pf
