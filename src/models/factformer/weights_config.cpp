#include "models/factformer/weights_config.hpp"

#include "core/error.hpp"
#include "io/hdf5.hpp"

namespace pf {

FactFormer2DConfig factformer2d_config_from_weights(const std::string& path,
                                                    const FactFormer2DConfig& base,
                                                    std::vector<std::string>* inferred) {
  const h5::File f = h5::File::open_read(path);
  const auto shape = [&](const std::string& key, size_t rank) {
    const std::string p = "/params/" + key;
    if (!f.exists(p))
      throw InputError(path + ": " + p + ": expected a FactFormer-2D weight, found nothing");
    const Shape s = f.dataset_shape(p);
    if (s.size() != rank)
      throw InputError(path + ": " + p + ": expected rank " + std::to_string(rank) + ", found " +
                       to_string(s));
    return s;
  };
  FactFormer2DConfig c = base;
  const Shape to_in = shape("to_in.weight", 2);
  c.dim = to_in[0];
  c.in_channels = to_in[1];
  c.depth = 0;
  while (f.exists("/params/encoder.layers." + std::to_string(c.depth) + ".1.to_v.weight"))
    ++c.depth;
  if (c.depth == 0)
    throw InputError(path +
                     ": /params/encoder.layers.0.1.to_v.weight: expected a FactFormer-2D "
                     "layer, found nothing");
  const std::string l0 = "encoder.layers.0.";
  const Index hdk = shape(l0 + "1.low_rank_kernel_x.to_q.weight", 2)[0];
  const Index dk = 2 * shape(l0 + "1.low_rank_kernel_x.pos_emb.inv_freq", 1)[0];
  const Index hdh = shape(l0 + "1.to_v.weight", 2)[0];
  if (dk == 0 || hdk % dk != 0 || hdh % (hdk / dk) != 0 || (hdh / (hdk / dk)) == 0 ||
      dk % (hdh / (hdk / dk)) != 0)
    throw InputError(path + ": /params/" + l0 +
                     "1.low_rank_kernel_x.to_q.weight: expected heads × " +
                     "dim_head × kernel_multiplier rows consistent with to_v and inv_freq, found " +
                     std::to_string(hdk) + " rows, inv_freq " + std::to_string(dk / 2) + ", to_v " +
                     std::to_string(hdh) + " rows");
  c.heads = hdk / dk;
  c.dim_head = hdh / c.heads;
  c.kernel_multiplier = dk / c.dim_head;
  c.latent_multiplier = double(shape("expand_latent.weight", 2)[0]) / double(c.dim);
  c.max_latent_steps = shape("latent_time_emb", 5)[1];
  c.out_channels = shape("simple_to_out.6.weight", 3)[0];
  c.fourier_features = shape(l0 + "0.0._B", 2)[1];
  c.validate(path);
  if (inferred) {
    const auto line = [&](const char* k, const std::string& v) {
      inferred->push_back(std::string("model.") + k + " = " + v);
    };
    line("in_channels", std::to_string(c.in_channels));
    line("out_channels", std::to_string(c.out_channels));
    line("dim", std::to_string(c.dim));
    line("depth", std::to_string(c.depth));
    line("heads", std::to_string(c.heads));
    line("dim_head", std::to_string(c.dim_head));
    line("kernel_multiplier", std::to_string(c.kernel_multiplier));
    line("latent_multiplier", std::to_string(c.latent_multiplier));
    line("max_latent_steps", std::to_string(c.max_latent_steps));
    line("fourier_features", std::to_string(c.fourier_features));
  }
  return c;
}

}  // namespace pf
