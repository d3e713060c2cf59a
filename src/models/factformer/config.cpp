#include "models/factformer/config.hpp"

#include "models/factformer/config_shared.hpp"

#include <cmath>
#include <sstream>

namespace pf {

using factformer::model_text;
using factformer::require_model;

double FactFormer2DConfig::kernel_scale() const {
  return kernel_multiplier > 4 ? 1.0 / std::sqrt(double(kernel_dim())) : 1.0;
}

void FactFormer2DConfig::validate(const std::string& source) const {
  require_model(in_channels >= 1, source, "in_channels", "at least 1", model_text(in_channels));
  require_model(out_channels >= 1, source, "out_channels", "at least 1", model_text(out_channels));
  // The decoder's first grouped convolution splits C into 8 groups and halves it afterwards.
  require_model(dim >= 8 && dim % 8 == 0, source, "dim", "a positive multiple of 8",
                model_text(dim));
  factformer::validate_trunk(*this, source);
  factformer::validate_fourier(*this, source);
}

std::string FactFormer2DConfig::to_toml() const {
  std::ostringstream s;
  s.precision(17);
  s << "[model]\n"
    << "in_channels = " << in_channels << "\nout_channels = " << out_channels;
  factformer::write_trunk_toml(s, *this);
  factformer::write_fourier_toml(s, *this);
  return s.str();
}

void add_factformer2d_options(DeckSchema& schema) {
  using O = OptionType;
  const factformer::SharedDefaults defaults{
      "4",
      "8",
      "2",
      "2.0",
      "8.0",
      "6.283185307179586",
      "grid coordinates run over [0, domain_length] on each axis (2π for Kolmogorov flow)"};
  schema.add({"model.in_channels", O::Int, "10",
              "input channels: past frames × fields (the reference's in_time_window)"});
  schema.add({"model.out_channels", O::Int, "1", "fields decoded per latent step"});
  factformer::add_trunk_options(schema, defaults);
  factformer::add_fourier_options(schema, defaults);
}

FactFormer2DConfig factformer2d_config(const Deck& deck) {
  FactFormer2DConfig c;
  c.in_channels = deck.get_int("model.in_channels");
  c.out_channels = deck.get_int("model.out_channels");
  factformer::read_trunk(deck, c);
  factformer::read_fourier(deck, c);
  c.validate(deck.source());
  return c;
}

}  // namespace pf
