#include "models/timeseries/pathformer_config.hpp"

#include "core/error.hpp"

#include <numeric>
#include <sstream>
#include <string>

namespace pf::ts {

namespace {
const std::string kPrefix = "model.pathformer.";

void require(bool ok, const Deck& deck, const std::string& key, const std::string& expected,
             const std::string& found) {
  if (!ok)
    throw InputError("deck " + deck.source() + ": option '" + kPrefix + key + "': expected " +
                     expected + ", found " + found);
}

std::string list_text(const std::vector<std::int64_t>& v) {
  std::ostringstream s;
  s << "[";
  for (size_t i = 0; i < v.size(); ++i)
    s << (i ? ", " : "") << v[i];
  s << "]";
  return s.str();
}
}  // namespace

void add_pathformer_options(DeckSchema& s) {
  auto opt = [&](const std::string& key, OptionType type, const std::string& def,
                 const std::string& doc, std::vector<std::string> choices = {}) {
    s.add({kPrefix + key, type, def, doc, choices});
  };
  opt("d_model", OptionType::Int, "4", "embedding width D of every series value (even)");
  opt("d_ff", OptionType::Int, "64", "hidden width of each expert's feed-forward block");
  opt("k", OptionType::Int, "3", "experts (patch sizes) chosen per sample in every layer");
  opt("num_experts_list", OptionType::IntList, "[4, 4, 4]",
      "experts per layer (its length is the number of layers)");
  opt("patch_size_list", OptionType::IntList, "[16, 12, 8, 32, 12, 8, 6, 4, 8, 6, 4, 2]",
      "patch sizes of all experts, layer after layer; each divides seq_len");
  opt("residual_connection", OptionType::Bool, "true", "add each layer's input to its output");
  opt("revin", OptionType::Bool, "true", "reversible instance normalisation (no affine)");
  opt("batch_norm", OptionType::Bool, "false", "BatchNorm over d_model inside the experts");
  opt("dropout", OptionType::Float, "0.1", "expert dropout (the reference hard-codes 0.1)");
  opt("ffn_dropout", OptionType::Float, "0.2",
      "dropout inside the experts' feed-forward block (the reference hard-codes 0.2)");
  opt("balance_loss_coef", OptionType::Float, "0.01", "weight of the load-balance loss");
  opt("combine", OptionType::String, "\"paper\"",
      "\"paper\": Σ gate·expert; \"reference\": log Σ gate·exp(expert) as the reference code",
      {"paper", "reference"});
  opt("inter_layout", OptionType::String, "\"paper\"",
      "\"paper\": inter-patch output mapped back to (time, channel); \"reference\": the "
      "reference code's raw reshape, which mixes time and channels when there are several",
      {"paper", "reference"});
}

PathformerConfig pathformer_config(const Deck& deck, const ForecastShape& shape) {
  PathformerConfig c;
  c.shape = shape;
  c.d_model = deck.get_int(kPrefix + "d_model");
  c.d_ff = deck.get_int(kPrefix + "d_ff");
  c.k = deck.get_int(kPrefix + "k");
  c.residual_connection = deck.get_bool(kPrefix + "residual_connection");
  c.revin = deck.get_bool(kPrefix + "revin");
  c.batch_norm = deck.get_bool(kPrefix + "batch_norm");
  c.dropout = deck.get_float(kPrefix + "dropout");
  c.ffn_dropout = deck.get_float(kPrefix + "ffn_dropout");
  c.balance_loss_coef = deck.get_float(kPrefix + "balance_loss_coef");
  c.reference_combine = deck.get_string(kPrefix + "combine") == "reference";
  c.reference_inter_layout = deck.get_string(kPrefix + "inter_layout") == "reference";
  const auto s = [](auto v) { return std::to_string(v); };
  require(c.d_model >= 2 && c.d_model % 2 == 0, deck, "d_model",
          "a positive even number (intra-patch attention has 2 heads)", s(c.d_model));
  require(c.d_ff >= 1, deck, "d_ff", "at least 1", s(c.d_ff));
  for (const char* key : {"dropout", "ffn_dropout"}) {
    const double p = deck.get_float(kPrefix + key);
    require(p >= 0 && p < 1, deck, key, "a probability in [0, 1)", s(p));
  }
  require(c.balance_loss_coef >= 0, deck, "balance_loss_coef", "a non-negative number",
          s(c.balance_loss_coef));
  // The Fourier router keeps 3 frequencies out of the non-constant, non-Nyquist rfft bins.
  require(shape.seq_len >= 8, deck, "patch_size_list",
          "seq_len of at least 8 (the router's 3 seasonal frequencies)", s(shape.seq_len));

  const auto experts = deck.get_int_list(kPrefix + "num_experts_list");
  const auto sizes = deck.get_int_list(kPrefix + "patch_size_list");
  require(!experts.empty(), deck, "num_experts_list", "at least one layer", "[]");
  std::int64_t total = 0;
  for (auto e : experts) {
    require(e >= 1, deck, "num_experts_list", "positive entries", list_text(experts));
    require(c.k <= e, deck, "k", "at most the experts of every layer " + list_text(experts),
            s(c.k));
    total += e;
  }
  require(c.k >= 1, deck, "k", "at least 1", s(c.k));
  require(std::int64_t(sizes.size()) == total, deck, "patch_size_list",
          s(total) + " sizes (the sum of num_experts_list " + list_text(experts) + ")",
          s(sizes.size()) + " sizes " + list_text(sizes));
  for (auto p : sizes)
    require(p >= 1 && shape.seq_len % p == 0, deck, "patch_size_list",
            "patch sizes that divide seq_len (" + s(shape.seq_len) + ")",
            s(p) + " in " + list_text(sizes));
  c.patch_sizes.clear();
  size_t at = 0;
  for (auto e : experts) {
    c.patch_sizes.emplace_back(sizes.begin() + at, sizes.begin() + at + e);
    at += e;
  }
  return c;
}

}  // namespace pf::ts
