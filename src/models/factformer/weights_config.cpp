#include "models/factformer/weights_config.hpp"

#include "core/error.hpp"
#include "io/hdf5.hpp"

#include <initializer_list>
#include <utility>

namespace pf {

namespace {
// The dataset shapes of a weights file, each checked for presence and rank.
struct WeightShapes {
  std::string path, model;
  h5::File f;
  Shape operator()(const std::string& key, size_t rank) const {
    const std::string p = "/params/" + key;
    if (!f.exists(p))
      throw InputError(path + ": " + p + ": expected a " + model + " weight, found nothing");
    const Shape s = f.dataset_shape(p);
    if (s.size() != rank)
      throw InputError(path + ": " + p + ": expected rank " + std::to_string(rank) + ", found " +
                       to_string(s));
    return s;
  }
  Index depth() const {
    Index d = 0;
    while (f.exists("/params/encoder.layers." + std::to_string(d) + ".1.to_v.weight"))
      ++d;
    if (d == 0)
      throw InputError(path + ": /params/encoder.layers.0.1.to_v.weight: expected a " + model +
                       " layer, found nothing");
    return d;
  }
};

struct HeadShape {
  Index heads, dim_head, kernel_multiplier;
};

// heads, dim_head and kernel_multiplier from the first layer's to_q, inv_freq and to_v
HeadShape head_shape(const WeightShapes& shape) {
  const std::string l0 = "encoder.layers.0.";
  const Index hdk = shape(l0 + "1.low_rank_kernel_x.to_q.weight", 2)[0];
  const Index dk = 2 * shape(l0 + "1.low_rank_kernel_x.pos_emb.inv_freq", 1)[0];
  const Index hdh = shape(l0 + "1.to_v.weight", 2)[0];
  if (dk == 0 || hdk % dk != 0 || hdh % (hdk / dk) != 0 || (hdh / (hdk / dk)) == 0 ||
      dk % (hdh / (hdk / dk)) != 0)
    throw InputError(shape.path + ": /params/" + l0 +
                     "1.low_rank_kernel_x.to_q.weight: expected heads × " +
                     "dim_head × kernel_multiplier rows consistent with to_v and inv_freq, found " +
                     std::to_string(hdk) + " rows, inv_freq " + std::to_string(dk / 2) + ", to_v " +
                     std::to_string(hdh) + " rows");
  HeadShape h;
  h.heads = hdk / dk;
  h.dim_head = hdh / h.heads;
  h.kernel_multiplier = dk / h.dim_head;
  return h;
}

// The sizes both models read alike once to_in is read, in the file's order so that the first
// missing tensor is the one named; the decoder's output width goes to `out`.
template <class Config>
void infer_shared(const WeightShapes& shape, Config& c, Index& out, size_t latent_time_rank) {
  c.depth = shape.depth();
  const HeadShape h = head_shape(shape);
  c.heads = h.heads, c.dim_head = h.dim_head, c.kernel_multiplier = h.kernel_multiplier;
  c.latent_multiplier = double(shape("expand_latent.weight", 2)[0]) / double(c.dim);
  c.max_latent_steps = shape("latent_time_emb", latent_time_rank)[1];
  out = shape("simple_to_out.6.weight", 3)[0];
  c.fourier_features = shape("encoder.layers.0.0.0._B", 2)[1];
}

// "model.<key> = <value>" for the model's own inferred sizes, then the shared ones.
template <class Config>
void list_inferred(const Config& c, std::initializer_list<std::pair<const char*, Index>> own,
                   std::vector<std::string>& lines) {
  const auto line = [&](const char* k, const std::string& v) {
    lines.push_back(std::string("model.") + k + " = " + v);
  };
  for (const auto& [key, value] : own)
    line(key, std::to_string(value));
  line("dim", std::to_string(c.dim));
  line("depth", std::to_string(c.depth));
  line("heads", std::to_string(c.heads));
  line("dim_head", std::to_string(c.dim_head));
  line("kernel_multiplier", std::to_string(c.kernel_multiplier));
  line("latent_multiplier", std::to_string(c.latent_multiplier));
  line("max_latent_steps", std::to_string(c.max_latent_steps));
  line("fourier_features", std::to_string(c.fourier_features));
}
}  // namespace

bool is_factformer3d_weights(const std::string& path) {
  return h5::File::open_read(path).exists("/params/to_in.2.weight");
}

FactFormer3DConfig factformer3d_config_from_weights(const std::string& path,
                                                    const FactFormer3DConfig& base,
                                                    std::vector<std::string>* inferred) {
  const WeightShapes shape{path, "FactFormer-3D", h5::File::open_read(path)};
  FactFormer3DConfig c = base;
  const Shape to_in = shape("to_in.2.weight", 4);  // [C, C/2, in_steps, 1]
  c.dim = to_in[0];
  c.in_steps = to_in[2];
  infer_shared(shape, c, c.out_fields, 6);
  c.validate(path);
  if (inferred)
    list_inferred(c, {{"in_steps", c.in_steps}, {"out_fields", c.out_fields}}, *inferred);
  return c;
}

FactFormer2DConfig factformer2d_config_from_weights(const std::string& path,
                                                    const FactFormer2DConfig& base,
                                                    std::vector<std::string>* inferred) {
  const WeightShapes shape{path, "FactFormer-2D", h5::File::open_read(path)};
  FactFormer2DConfig c = base;
  const Shape to_in = shape("to_in.weight", 2);
  c.dim = to_in[0];
  c.in_channels = to_in[1];
  infer_shared(shape, c, c.out_channels, 5);
  c.validate(path);
  if (inferred)
    list_inferred(c, {{"in_channels", c.in_channels}, {"out_channels", c.out_channels}}, *inferred);
  return c;
}

}  // namespace pf
