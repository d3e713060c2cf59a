#include "models/factformer/config3d.hpp"

#include "models/factformer/config_shared.hpp"

#include <cmath>
#include <sstream>

namespace pf {

using factformer::model_text;
using factformer::require_model;

double FactFormer3DConfig::kernel_scale() const {
  return kernel_multiplier > 4 ? 1.0 / std::sqrt(double(kernel_dim())) : 1.0;
}

void FactFormer3DConfig::validate(const std::string& source) const {
  require_model(in_fields >= 1, source, "in_fields", "at least 1", model_text(in_fields));
  require_model(in_steps >= 1, source, "in_steps", "at least 1", model_text(in_steps));
  require_model(out_fields >= 1, source, "out_fields", "at least 1", model_text(out_fields));
  // The decoder's first grouped convolution splits C into 8 groups and halves it afterwards; the
  // input convolution maps each field to (C/2)/in_fields channels, and the down block halves C.
  require_model(dim >= 8 && dim % 8 == 0, source, "dim", "a positive multiple of 8",
                model_text(dim));
  require_model((dim / 2) % in_fields == 0, source, "in_fields",
                "a divisor of dim / 2 (the input convolution has one group per field)",
                model_text(in_fields) + " (dim " + model_text(dim) + ")");
  factformer::validate_trunk(*this, source);
  require_model(padding >= 0, source, "padding", "at least 0", model_text(padding));
  factformer::validate_fourier(*this, source);
}

std::string FactFormer3DConfig::to_toml() const {
  std::ostringstream s;
  s.precision(17);
  s << "[model]\n"
    << "in_fields = " << in_fields << "\nin_steps = " << in_steps
    << "\nout_fields = " << out_fields;
  factformer::write_trunk_toml(s, *this);
  s << "\npadding = " << padding;
  factformer::write_fourier_toml(s, *this);
  return s.str();
}

void add_factformer3d_options(DeckSchema& schema) {
  using O = OptionType;
  const factformer::SharedDefaults defaults{
      "3",
      "6",
      "3",
      "1.5",
      "1.0",
      "8.0",
      "grid coordinates run over [0, domain_length] on each axis; pad cells continue at spacing "
      "domain_length / n"};
  schema.add({"model.in_fields", O::Int, "4", "fields per input frame (density, vx, vy, vz)"});
  schema.add({"model.in_steps", O::Int, "4",
              "input frames, collapsed by the input convolution (the reference's "
              "in_time_window)"});
  schema.add({"model.out_fields", O::Int, "4", "fields decoded per latent step"});
  factformer::add_trunk_options(schema, defaults);
  schema.add({"model.padding", O::Int, "2",
              "zero cells appended to the end of each axis for the encoder (cropped after it)"});
  factformer::add_fourier_options(schema, defaults);
}

FactFormer3DConfig factformer3d_config(const Deck& deck) {
  FactFormer3DConfig c;
  c.in_fields = deck.get_int("model.in_fields");
  c.in_steps = deck.get_int("model.in_steps");
  c.out_fields = deck.get_int("model.out_fields");
  factformer::read_trunk(deck, c);
  c.padding = deck.get_int("model.padding");
  factformer::read_fourier(deck, c);
  c.validate(deck.source());
  return c;
}

}  // namespace pf
