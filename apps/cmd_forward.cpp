// `portaformer forward`: one FactFormer-2D forward pass from a weights file and an input array.
#include "command.hpp"

#include "core/error.hpp"
#include "io/atomic_output.hpp"
#include "io/hdf5.hpp"
#include "models/factformer/factformer2d.hpp"
#include "models/factformer/weights_config.hpp"
#include "train/checkpoint.hpp"

#include <spdlog/spdlog.h>
#include <Kokkos_Core.hpp>

#include <memory>

namespace pf::app {

namespace {
const char* const kForwardHelp =
    "Runs FactFormer-2D once: reads the input [B, X, Y, in_channels] (float) from --input, the\n"
    "weights from --weights (an HDF5 file with /params/<PyTorch state_dict key>, written by\n"
    "postprocess/convert_torch_weights.py, or one of our checkpoints) and writes\n"
    "/output [B, T, X, Y, out_channels] to --output (atomically), with the model configuration\n"
    "and the resolved deck as attributes. With --model-from weights (the default) every option\n"
    "that fixes a weight's shape (in/out channels, dim, depth, heads, dim_head,\n"
    "kernel_multiplier, latent_multiplier, max_latent_steps, fourier_features) is read off the\n"
    "weights and the deck's values for them are ignored; model.domain_length (and\n"
    "fourier_scale, unused once _B is loaded) always come from the deck. With --model-from deck\n"
    "the deck gives everything, and any weight that does not fit is reported.";

struct ForwardArgs {
  DeckArgs deck;
  std::string weights, input, input_dataset = "/input", model_from = "weights";
  Index latent_steps = 1;
};

DeckSchema forward_schema() {
  DeckSchema s("forward", "One FactFormer-2D forward pass (portaformer forward)");
  add_factformer2d_options(s);
  return s;
}

Tensor<float> read_input(const std::string& path, const std::string& dataset, Index channels) {
  const h5::File f = h5::File::open_read(path);
  if (!f.exists(dataset))
    throw InputError(path + ": " + dataset + ": expected a [B, X, Y, " + std::to_string(channels) +
                     "] float dataset, found nothing");
  const Shape s = f.dataset_shape(dataset);
  if (s.size() != 4 || s[3] != channels || s[0] < 1 || s[1] < 1 || s[2] < 1)
    throw InputError(path + ": " + dataset + ": expected shape [B, X, Y, " +
                     std::to_string(channels) + "], found " + to_string(s));
  return h5::read_tensor(f, dataset);
}
}  // namespace

void add_forward_command(CLI::App& app, CommandList& commands) {
  auto args = std::make_shared<ForwardArgs>();
  args->deck.output = "forward.h5";
  CLI::App* cmd = app.add_subcommand("forward", "Run FactFormer-2D on an input array");
  cmd->footer(kForwardHelp);
  add_deck_options(cmd, args->deck, "HDF5 file for /output");
  cmd->add_option("-w,--weights", args->weights, "HDF5 weights (/params/<state_dict key>)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-i,--input", args->input, "HDF5 file holding the input")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--input-dataset", args->input_dataset, "input dataset [B, X, Y, in_channels]")
      ->capture_default_str();
  cmd->add_option("-t,--latent-steps", args->latent_steps, "latent steps decoded (1..max)")
      ->capture_default_str();
  cmd->add_option("--model-from", args->model_from, "where the model's shape options come from")
      ->check(CLI::IsMember({"weights", "deck"}))
      ->capture_default_str();
  commands.push_back({cmd, [args](RunContext& ctx) {
                        const auto deck =
                            resolve_deck(forward_schema(), args->deck, ctx, "forward");
                        if (!deck) return kExitOk;
                        FactFormer2DConfig config = factformer2d_config(*deck);
                        if (args->model_from == "weights") {
                          std::vector<std::string> lines;
                          config = factformer2d_config_from_weights(args->weights, config, &lines);
                          std::string joined;
                          for (const auto& l : lines)
                            joined += "\n  " + l;
                          spdlog::info("model options read from {}:{}", args->weights, joined);
                        }
                        if (args->latent_steps < 1 || args->latent_steps > config.max_latent_steps)
                          throw InputError("--latent-steps: expected 1.." +
                                           std::to_string(config.max_latent_steps) + ", found " +
                                           std::to_string(args->latent_steps));
                        Rng rng(0);
                        FactFormer2D model(config, rng);
                        std::vector<NamedTensor> targets;
                        for (auto& [name, t] : model.state_dict())
                          targets.push_back({name, t});
                        load_params(args->weights, targets);
                        const Tensor<float> u =
                            read_input(args->input, args->input_dataset, config.in_channels);
                        Kokkos::Timer timer;
                        Tensor<float> y;
                        {
                          NoGradGuard no_grad;
                          y = model.forward(u, args->latent_steps);
                          Kokkos::fence();
                        }
                        spdlog::info("forward {} → {} in {:.3f} s", to_string(u.shape()),
                                     to_string(y.shape()), timer.seconds());
                        if (!ctx.world.is_root()) return kExitOk;
                        AtomicOutput out(args->deck.output);
                        {
                          h5::File f = h5::File::create(out.temp_path());
                          h5::write_tensor(f, "/output", y);
                          f.set_string_attr("/", "model_config", config.to_toml());
                          f.set_string_attr("/", "deck", deck->to_toml());
                          f.set_string_attr("/", "weights", args->weights);
                          f.set_int_attr("/", "latent_steps", args->latent_steps);
                          f.close();
                        }
                        out.commit();
                        spdlog::info("wrote {}", args->deck.output);
                        return kExitOk;
                      }});
}

}  // namespace pf::app
