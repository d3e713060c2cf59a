#include "models/timeseries/patchtst.hpp"

#include "core/error.hpp"
#include "models/timeseries/ts_ops.hpp"
#include "nn/init.hpp"

#include <cmath>
#include <string>

namespace pf::ts {

namespace {
const std::string kPrefix = "model.patchtst.";

void require(bool ok, const Deck& deck, const std::string& key, const std::string& expected,
             const std::string& found) {
  if (!ok)
    throw InputError("deck " + deck.source() + ": option '" + kPrefix + key + "': expected " +
                     expected + ", found " + found);
}
}  // namespace

void add_patchtst_options(DeckSchema& s) {
  auto opt = [&](const std::string& key, OptionType type, const std::string& def,
                 const std::string& doc, std::vector<std::string> choices = {}) {
    s.add({kPrefix + key, type, def, doc, choices});
  };
  opt("e_layers", OptionType::Int, "3", "encoder layers");
  opt("n_heads", OptionType::Int, "4", "attention heads (divide d_model)");
  opt("d_model", OptionType::Int, "16", "width of the patch embedding");
  opt("d_ff", OptionType::Int, "128", "hidden width of the encoder's feed-forward block");
  opt("dropout", OptionType::Float, "0.3",
      "dropout after the positional encoding, on the attention output and in the FFN");
  opt("head_dropout", OptionType::Float, "0.0", "dropout on the flatten head's output");
  opt("patch_len", OptionType::Int, "16", "patch length P");
  opt("stride", OptionType::Int, "8", "stride S between patches");
  opt("padding_patch", OptionType::String, "\"end\"",
      "\"end\": append S copies of the last value before patching (one more patch); \"none\"",
      {"end", "none"});
  opt("revin", OptionType::Bool, "true", "reversible instance normalisation");
  opt("affine", OptionType::Bool, "false", "learned RevIN scale and shift");
  opt("subtract_last", OptionType::Bool, "false", "RevIN centres on the last value, not the mean");
  opt("individual", OptionType::Bool, "false", "one flatten head per channel");
}

PatchTSTConfig patchtst_config(const Deck& deck, const ForecastShape& shape) {
  PatchTSTConfig c;
  c.shape = shape;
  auto get = [&](const char* k) { return deck.get_int(kPrefix + k); };
  c.e_layers = get("e_layers");
  c.n_heads = get("n_heads");
  c.d_model = get("d_model");
  c.d_ff = get("d_ff");
  c.patch_len = get("patch_len");
  c.stride = get("stride");
  c.dropout = deck.get_float(kPrefix + "dropout");
  c.head_dropout = deck.get_float(kPrefix + "head_dropout");
  c.padding_end = deck.get_string(kPrefix + "padding_patch") == "end";
  c.revin = deck.get_bool(kPrefix + "revin");
  c.affine = deck.get_bool(kPrefix + "affine");
  c.subtract_last = deck.get_bool(kPrefix + "subtract_last");
  c.individual = deck.get_bool(kPrefix + "individual");
  const auto s = [](auto v) { return std::to_string(v); };
  require(c.e_layers >= 1, deck, "e_layers", "at least 1", s(c.e_layers));
  require(c.n_heads >= 1, deck, "n_heads", "at least 1", s(c.n_heads));
  require(c.d_model >= 1 && c.d_model % c.n_heads == 0, deck, "d_model",
          "a positive multiple of n_heads (" + s(c.n_heads) + ")", s(c.d_model));
  require(c.d_ff >= 1, deck, "d_ff", "at least 1", s(c.d_ff));
  require(c.patch_len >= 1 && c.patch_len <= shape.seq_len, deck, "patch_len",
          "between 1 and seq_len (" + s(shape.seq_len) + ")", s(c.patch_len));
  require(c.stride >= 1, deck, "stride", "at least 1", s(c.stride));
  for (const char* k : {"dropout", "head_dropout"}) {
    const double p = deck.get_float(kPrefix + k);
    require(p >= 0 && p < 1, deck, k, "a probability in [0, 1)", s(p));
  }
  return c;
}

PatchTST::EncoderLayer::EncoderLayer(const PatchTSTConfig& c, Rng& rng) {
  const Index d = c.d_model;
  W_Q = register_module("self_attn.W_Q", std::make_shared<Linear<float>>(d, d, true, rng));
  W_K = register_module("self_attn.W_K", std::make_shared<Linear<float>>(d, d, true, rng));
  W_V = register_module("self_attn.W_V", std::make_shared<Linear<float>>(d, d, true, rng));
  // Frozen in the reference (requires_grad=False): a buffer here, so counts agree with its
  // trainable parameters and weights still load by name.
  register_buffer("self_attn.sdp_attn.scale",
                  Tensor<float>::scalar(float(1.0 / std::sqrt(double(d / c.n_heads)))));
  to_out = register_module("self_attn.to_out.0", std::make_shared<Linear<float>>(d, d, true, rng));
  norm_attn = register_module("norm_attn.1", std::make_shared<BatchNorm<float>>(d));
  ff0 = register_module("ff.0", std::make_shared<Linear<float>>(d, c.d_ff, true, rng));
  ff3 = register_module("ff.3", std::make_shared<Linear<float>>(c.d_ff, d, true, rng));
  norm_ffn = register_module("norm_ffn.1", std::make_shared<BatchNorm<float>>(d));
}

PatchTST::PatchTST(const PatchTSTConfig& c, Rng& rng) : cfg_(c), drop_rng_(rng.next_u64()) {
  if (c.revin)
    revin_ = register_module("model.revin_layer",
                             std::make_shared<RevIN>(c.shape.channels, c.affine, c.subtract_last));
  W_P_ = register_module("model.backbone.W_P",
                         std::make_shared<Linear<float>>(c.patch_len, c.d_model, true, rng));
  W_pos_ = register_parameter("model.backbone.W_pos",
                              init::uniform<float>({c.patch_num(), c.d_model}, 0.02, rng));
  for (Index i = 0; i < c.e_layers; ++i)
    layers_.push_back(register_module("model.backbone.encoder.layers." + std::to_string(i),
                                      std::make_shared<EncoderLayer>(c, rng)));
  const Index nf = c.d_model * c.patch_num();
  if (c.individual) {
    for (Index i = 0; i < c.shape.channels; ++i)
      heads_.push_back(
          register_module("model.head.linears." + std::to_string(i),
                          std::make_shared<Linear<float>>(nf, c.shape.pred_len, true, rng)));
  } else {
    heads_.push_back(register_module(
        "model.head.linear", std::make_shared<Linear<float>>(nf, c.shape.pred_len, true, rng)));
  }
}

Tensor<float> PatchTST::encoder_layer(EncoderLayer& l, const Tensor<float>& u,
                                      Tensor<float>& scores) {
  const Index bc = u.dim(0), n = u.dim(1), d = cfg_.d_model, h = cfg_.n_heads, dk = d / h;
  auto heads = [&](const Linear<float>& proj) {  // [B·C, N, d] → [B·C, N, H, dk], no copy
    return reshape(proj.forward(u), {bc, n, h, dk});
  };
  const Tensor<float> q = heads(*l.W_Q), k = heads(*l.W_K), v = heads(*l.W_V);
  Tensor<float> s = head_scores(q, k, float(1.0 / std::sqrt(double(dk))));  // [B·C, H, N, N]
  if (scores.defined()) s = add(s, scores);
  scores = s;
  Tensor<float> a = reshape(head_mix(softmax(s, -1), v), {bc, n, d});
  a = drop(drop(l.to_out->forward(a), cfg_.dropout), cfg_.dropout);
  auto bn = [&](BatchNorm<float>& norm, const Tensor<float>& x) {  // over the B·C·N positions
    return reshape(norm.forward(reshape(x, {bc * n, d})), {bc, n, d});
  };
  Tensor<float> x = bn(*l.norm_attn, add(u, a));
  Tensor<float> f = l.ff3->forward(drop(gelu(l.ff0->forward(x)), cfg_.dropout));
  return bn(*l.norm_ffn, add(x, drop(f, cfg_.dropout)));
}

Tensor<float> PatchTST::forward(const Tensor<float>& x_in) {
  const Index b = x_in.dim(0), c = cfg_.shape.channels, d = cfg_.d_model;
  if (x_in.ndim() != 3 || x_in.dim(1) != cfg_.shape.seq_len || x_in.dim(2) != c)
    throw ShapeError("PatchTST: input " + to_string(x_in.shape()) + ", expected [B, " +
                     std::to_string(cfg_.shape.seq_len) + ", " + std::to_string(c) + "]");
  Tensor<float> x = cfg_.revin ? revin_->norm(x_in) : x_in;
  Tensor<float> z = permute(x, {0, 2, 1});  // [B, C, L]
  if (cfg_.padding_end) z = replicate_pad_end(z, cfg_.stride);
  z = unfold_last(z, cfg_.patch_len, cfg_.stride);  // [B, C, N, P]
  const Index n = z.dim(2);
  Tensor<float> u = reshape(W_P_->forward(z), {b * c, n, d});
  u = drop(add(u, W_pos_), cfg_.dropout);
  Tensor<float> scores;
  for (auto& l : layers_)
    u = encoder_layer(*l, u, scores);
  // Flatten d-major (index d_i·N + n) as the reference's permute + Flatten does.
  const Tensor<float> flat =
      reshape(permute(reshape(u, {b, c, n, d}), {0, 1, 3, 2}), {b, c, d * n});
  Tensor<float> y;
  if (cfg_.individual) {
    std::vector<Tensor<float>> per_channel;
    for (Index i = 0; i < c; ++i)
      per_channel.push_back(heads_[i]->forward(slice(flat, 1, i, i + 1)));
    y = concat(per_channel, 1);
  } else {
    y = heads_[0]->forward(flat);
  }
  y = permute(drop(y, cfg_.head_dropout), {0, 2, 1});  // [B, T, C]
  return cfg_.revin ? revin_->denorm(y) : y;
}

}  // namespace pf::ts
