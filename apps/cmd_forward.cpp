// `portaformer forward`: one FactFormer-2D or -3D forward pass from a weights file and an input
// array; the weights decide which model runs.
#include "command.hpp"

#include "core/error.hpp"
#include "io/hdf5.hpp"
#include "io/hdf5_atomic.hpp"
#include "models/factformer/factformer2d.hpp"
#include "models/factformer/factformer3d.hpp"
#include "models/factformer/weights_config.hpp"
#include "train/checkpoint.hpp"

#include <spdlog/spdlog.h>
#include <Kokkos_Core.hpp>

#include <memory>

namespace pf::app {

namespace {
const char* const kForwardHelp =
    "Runs FactFormer once: reads the weights from --weights (an HDF5 file with\n"
    "/params/<PyTorch state_dict key>, written by postprocess/convert_torch_weights.py, or one of\n"
    "our checkpoints) and the input from --input, and writes /output to --output (atomically),\n"
    "with the model configuration and the resolved deck as attributes. The weights choose the\n"
    "model: FactFormer-3D when they hold to_in.2.weight (the time-collapsing input convolution),\n"
    "FactFormer-2D otherwise; the deck takes that model's options (model.*).\n"
    "  2D: input [B, X, Y, in_channels] → /output [B, T, X, Y, out_channels]\n"
    "  3D: input [B, in_steps, X, Y, Z, in_fields] (X, Y, Z even) →\n"
    "      /output [B, T, X, Y, Z, out_fields]\n"
    "With --model-from weights (the default) every option that fixes a weight's shape (channels,\n"
    "dim, depth, heads, dim_head, kernel_multiplier, latent_multiplier, max_latent_steps,\n"
    "fourier_features; 3D: in_steps, out_fields) is read off the weights and the deck's values\n"
    "for them are ignored; 3D's in_fields is read off the input; model.domain_length, 3D's\n"
    "model.padding (and fourier_scale, unused once _B is loaded) always come from the deck. With\n"
    "--model-from deck the deck gives everything, and any weight that does not fit is reported.";

struct ForwardArgs {
  DeckArgs deck;
  std::string weights, input, input_dataset = "/input", model_from = "weights";
  Index latent_steps = 1;
};

DeckSchema forward_schema(bool three_d) {
  DeckSchema s("forward", three_d ? "One FactFormer-3D forward pass (portaformer forward)"
                                  : "One FactFormer-2D forward pass (portaformer forward)");
  if (three_d)
    add_factformer3d_options(s);
  else
    add_factformer2d_options(s);
  return s;
}

// The input's shape, checked against `expected` where it is not −1; `layout` names the axes.
Shape input_shape(const std::string& path, const std::string& dataset, const Shape& expected,
                  const std::string& layout) {
  const h5::File f = h5::File::open_read(path);
  if (!f.exists(dataset))
    throw InputError(path + ": " + dataset + ": expected a " + layout +
                     " float dataset, found nothing");
  const Shape s = f.dataset_shape(dataset);
  bool ok = s.size() == expected.size();
  for (size_t i = 0; ok && i < s.size(); ++i)
    ok = s[i] >= 1 && (expected[i] < 0 || s[i] == expected[i]);
  if (!ok)
    throw InputError(path + ": " + dataset + ": expected shape " + layout + ", found " +
                     to_string(s));
  return s;
}

void log_inferred(const std::string& weights, const std::vector<std::string>& lines) {
  std::string joined;
  for (const auto& l : lines)
    joined += "\n  " + l;
  spdlog::info("model options read from {}:{}", weights, joined);
}

void check_steps(Index steps, Index max_steps) {
  if (steps < 1 || steps > max_steps)
    throw InputError("--latent-steps: expected 1.." + std::to_string(max_steps) + ", found " +
                     std::to_string(steps));
}

// The model built from `config` with the file's weights, run once without gradients.
template <class Model, class Config>
Tensor<float> run_model(const Config& config, const std::string& weights, const Tensor<float>& u,
                        Index steps) {
  Rng rng(0);
  Model model(config, rng);
  load_params(weights, as_named(model.state_dict()));
  Kokkos::Timer timer;
  Tensor<float> y;
  {
    NoGradGuard no_grad;
    y = model.forward(u, steps);
    Kokkos::fence();
  }
  spdlog::info("forward {} → {} in {:.3f} s", to_string(u.shape()), to_string(y.shape()),
               timer.seconds());
  return y;
}
}  // namespace

void add_forward_command(CLI::App& app, CommandList& commands) {
  auto args = std::make_shared<ForwardArgs>();
  args->deck.output = "forward.h5";
  CLI::App* cmd = app.add_subcommand("forward", "Run FactFormer-2D or -3D on an input array");
  cmd->footer(kForwardHelp);
  add_deck_options(cmd, args->deck, "HDF5 file for /output");
  cmd->add_option("-w,--weights", args->weights, "HDF5 weights (/params/<state_dict key>)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-i,--input", args->input, "HDF5 file holding the input")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--input-dataset", args->input_dataset,
                  "input dataset: 2D [B, X, Y, in_channels], 3D [B, in_steps, X, Y, Z, in_fields]")
      ->capture_default_str();
  cmd->add_option("-t,--latent-steps", args->latent_steps, "latent steps decoded (1..max)")
      ->capture_default_str();
  cmd->add_option("--model-from", args->model_from, "where the model's shape options come from")
      ->check(CLI::IsMember({"weights", "deck"}))
      ->capture_default_str();
  commands.push_back(
      {cmd, [args](RunContext& ctx) {
         const bool three_d = is_factformer3d_weights(args->weights);
         const auto deck = resolve_deck(forward_schema(three_d), args->deck, ctx, "forward");
         if (!deck) return kExitOk;
         const bool from_weights = args->model_from == "weights";
         std::vector<std::string> lines;
         Tensor<float> y;
         std::string config_toml;
         if (three_d) {
           FactFormer3DConfig config = factformer3d_config(*deck);
           if (from_weights) {
             const Shape s = input_shape(args->input, args->input_dataset, {-1, -1, -1, -1, -1, -1},
                                         "[B, in_steps, X, Y, Z, in_fields]");
             config.in_fields = s[5];
             config = factformer3d_config_from_weights(args->weights, config, &lines);
             lines.push_back("model.in_fields = " + std::to_string(s[5]) + " (from the input)");
             log_inferred(args->weights, lines);
           }
           check_steps(args->latent_steps, config.max_latent_steps);
           input_shape(args->input, args->input_dataset,
                       {-1, config.in_steps, -1, -1, -1, config.in_fields},
                       "[B, " + std::to_string(config.in_steps) + ", X, Y, Z, " +
                           std::to_string(config.in_fields) + "]");
           const Tensor<float> u =
               h5::read_tensor(h5::File::open_read(args->input), args->input_dataset);
           y = run_model<FactFormer3D>(config, args->weights, u, args->latent_steps);
           config_toml = config.to_toml();
         } else {
           FactFormer2DConfig config = factformer2d_config(*deck);
           if (from_weights) {
             config = factformer2d_config_from_weights(args->weights, config, &lines);
             log_inferred(args->weights, lines);
           }
           check_steps(args->latent_steps, config.max_latent_steps);
           input_shape(args->input, args->input_dataset, {-1, -1, -1, config.in_channels},
                       "[B, X, Y, " + std::to_string(config.in_channels) + "]");
           const Tensor<float> u =
               h5::read_tensor(h5::File::open_read(args->input), args->input_dataset);
           y = run_model<FactFormer2D>(config, args->weights, u, args->latent_steps);
           config_toml = config.to_toml();
         }
         if (!ctx.world.is_root()) return kExitOk;
         h5::write_file_atomically(args->deck.output, [&](h5::File& f) {
           h5::write_tensor(f, "/output", y);
           f.set_string_attr("/", "model_config", config_toml);
           f.set_string_attr("/", "deck", deck->to_toml());
           f.set_string_attr("/", "weights", args->weights);
           f.set_int_attr("/", "latent_steps", args->latent_steps);
         });
         spdlog::info("wrote {}", args->deck.output);
         return kExitOk;
       }});
}

}  // namespace pf::app
