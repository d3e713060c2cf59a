#include "surrogate/field_task.hpp"

#include "core/error.hpp"
#include "core/rng.hpp"
#include "io/hdf5.hpp"
#include "train/checkpoint.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <sstream>

namespace pf {

DeckSchema field_task_schema() {
  using O = OptionType;
  DeckSchema s("factformer2d",
               "Train FactFormer-2D on a 2-D field dataset (The Well or PDEBench layout) with the "
               "reference recipe: relative-L2 loss, AdamW + one-cycle, clipping, latent-step "
               "curriculum and pushforward.");
  s.add({"task", O::String, "\"factformer2d\"", "what to train", {"factformer2d", "mlp_demo"}});
  s.add({"data.path", O::String, "\"\"",
         "HDF5 field dataset, e.g. from `portaformer simulate` (required)"});
  s.add({"data.fields", O::String, "\"\"",
         "fields to learn, comma separated (a vector field adds all its components); empty: "
         "every field of the file"});
  s.add({"data.in_steps", O::Int, "10", "input window: past frames given to the model"});
  s.add({"data.valid_fraction", O::Float, "0.1", "share of trajectories held out for validation"});
  s.add({"data.test_fraction", O::Float, "0.1",
         "share of trajectories held out for testing (predict/evaluate default to them)"});
  s.add({"data.split_seed", O::Int, "1234", "seed of the trajectory split"});
  s.add({"data.window_stride", O::Int, "1", "frames between the starts of training windows"});
  add_factformer2d_options(s);
  s.add({"model.seed", O::Int, "0", "seed of the weight initialisation"});
  s.add({"optim.name", O::String, "\"adamw\"", "optimizer", {"adam", "adamw"}});
  s.add({"optim.lr", O::Float, "5e-4", "peak learning rate (reference: 5e-4)"});
  s.add({"optim.beta1", O::Float, "0.9", "Adam β₁ (onecycle cycles it between 0.85 and 0.95)"});
  s.add({"optim.beta2", O::Float, "0.999", "Adam β₂"});
  s.add({"optim.eps", O::Float, "1e-8", "Adam ε"});
  s.add({"optim.weight_decay", O::Float, "1e-4", "decoupled (adamw) or L2 (adam) weight decay"});
  s.add({"optim.decay_biases_and_norms", O::Bool, "true",
         "also decay 1-D parameters (torch's AdamW default, as the reference)"});
  s.add({"schedule.kind",
         O::String,
         "\"onecycle\"",
         "learning-rate schedule",
         {"constant", "cosine", "onecycle"}});
  s.add({"schedule.pct_start", O::Float, "0.2", "onecycle: share of steps spent warming up"});
  s.add({"schedule.div_factor", O::Float, "1e4", "onecycle: initial lr = lr / div_factor"});
  s.add({"schedule.final_div_factor", O::Float, "1e5",
         "onecycle: final lr = initial lr / final_div_factor"});
  s.add({"schedule.warmup_steps", O::Int, "0", "cosine: linear warm-up steps"});
  s.add({"schedule.min_lr", O::Float, "0.0", "cosine: final learning rate"});
  s.add({"train.steps", O::Int, "20000", "optimizer steps"});
  s.add({"train.batch_size", O::Int, "8", "global batch (split evenly over MPI ranks)"});
  s.add({"train.seed", O::Int, "1", "seed of the batch order"});
  s.add({"train.clip_grad_norm", O::Float, "1.0", "clip the global gradient norm (≤ 0: off)"});
  s.add({"train.curriculum_start", O::Int, "1", "latent steps trained at first"});
  s.add({"train.curriculum_end", O::Int, "4",
         "latent steps trained at the end of the curriculum (≤ model.max_latent_steps)"});
  s.add({"train.curriculum_steps", O::Int, "6000",
         "steps over which the latent steps grow linearly from start to end"});
  s.add({"train.pushforward_after", O::Int, "8000",
         "pushforward training starts after this step (≥ train.steps: never)"});
  s.add(
      {"train.pushforward_every", O::Int, "3", "every n-th step after that is a pushforward step"});
  s.add({"train.pushforward_rollouts", O::Int, "2",
         "model calls without gradient before the trained call in a pushforward step"});
  s.add({"train.checkpoint_every", O::Int, "500", "steps between checkpoints (≤ 0: final only)"});
  s.add({"train.keep_checkpoints", O::Int, "2", "periodic checkpoints kept on disk"});
  s.add({"train.validate_every", O::Int, "0",
         "steps between validation rollouts on the validation trajectories; 0: once per epoch"});
  s.add({"train.kill_at_step", O::Int, "0",
         "testing aid: the process kills itself (SIGKILL) after this step, to exercise --resume"});
  s.add({"eval.steps", O::Int, "16", "rollout horizon (frames) of validation and evaluation"});
  s.add({"eval.latent_steps", O::Int, "4",
         "latent steps per model call in rollouts (≤ model.max_latent_steps)"});
  s.add({"eval.valid_windows", O::Int, "16",
         "validation windows per validation (evenly spread over the validation split)"});
  return s;
}

namespace {
[[noreturn]] void bad(const Deck& deck, const std::string& key, const std::string& expected,
                      const std::string& found) {
  throw InputError("deck " + deck.source() + ": option '" + key + "': expected " + expected +
                   ", found " + found);
}
}  // namespace

void validate_field_deck(const Deck& deck) {
  const auto at_least = [&](const char* key, std::int64_t min) {
    if (deck.get_int(key) < min)
      bad(deck, key, "at least " + std::to_string(min), std::to_string(deck.get_int(key)));
  };
  at_least("data.in_steps", 1);
  at_least("data.window_stride", 1);
  at_least("train.steps", 1);
  at_least("train.batch_size", 1);
  at_least("train.curriculum_start", 1);
  at_least("train.curriculum_steps", 1);
  at_least("train.pushforward_every", 1);
  at_least("train.pushforward_rollouts", 1);
  at_least("train.keep_checkpoints", 1);
  at_least("train.kill_at_step", 0);
  at_least("train.validate_every", 0);
  at_least("eval.steps", 1);
  at_least("eval.latent_steps", 1);
  at_least("eval.valid_windows", 1);
  for (const char* key : {"data.valid_fraction", "data.test_fraction"}) {
    const double f = deck.get_float(key);
    if (!(f >= 0 && f < 1)) bad(deck, key, "a fraction in [0, 1)", fmt::format("{}", f));
  }
  if (deck.get_float("data.valid_fraction") + deck.get_float("data.test_fraction") >= 1)
    bad(deck, "data.test_fraction", "valid + test fractions below 1",
        fmt::format("{} + {}", deck.get_float("data.valid_fraction"),
                    deck.get_float("data.test_fraction")));
  if (deck.get_float("optim.lr") <= 0)
    bad(deck, "optim.lr", "a positive learning rate",
        fmt::format("{}", deck.get_float("optim.lr")));
  const FactFormer2DConfig model = factformer2d_config(deck);
  if (deck.get_int("train.curriculum_end") < deck.get_int("train.curriculum_start") ||
      deck.get_int("train.curriculum_end") > model.max_latent_steps)
    bad(deck, "train.curriculum_end",
        fmt::format("between train.curriculum_start ({}) and model.max_latent_steps ({})",
                    deck.get_int("train.curriculum_start"), model.max_latent_steps),
        std::to_string(deck.get_int("train.curriculum_end")));
  if (deck.get_int("eval.latent_steps") > model.max_latent_steps)
    bad(deck, "eval.latent_steps",
        fmt::format("at most model.max_latent_steps ({})", model.max_latent_steps),
        std::to_string(deck.get_int("eval.latent_steps")));
}

std::vector<std::string> parse_field_list(const std::string& text) {
  std::vector<std::string> fields;
  std::istringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    const auto first = item.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    fields.push_back(item.substr(first, item.find_last_not_of(" \t") - first + 1));
  }
  return fields;
}

FieldData open_field_data(const Deck& deck, const std::string& path_override) {
  const std::string path = path_override.empty() ? deck.get_string("data.path") : path_override;
  if (path.empty())
    bad(deck, "data.path", "the HDF5 dataset to train on (e.g. from `portaformer simulate`)",
        "nothing");
  auto reader = std::make_shared<const data::FieldReader>(
      path, parse_field_list(deck.get_string("data.fields")));
  const data::FieldFileInfo& info = reader->info();
  if (info.spatial_shape.size() != 2)
    throw InputError(path + ": expected a 2-D dataset for FactFormer-2D, found " +
                     std::to_string(info.spatial_shape.size()) + " spatial dimensions");
  const Index needed = deck.get_int("data.in_steps") + 1;
  if (info.n_steps < needed)
    throw InputError(path + ": expected at least data.in_steps + 1 = " + std::to_string(needed) +
                     " frames per trajectory, found " + std::to_string(info.n_steps));
  FieldData out{reader, data::split_trajectories(info.n_traj, deck.get_float("data.valid_fraction"),
                                                 deck.get_float("data.test_fraction"),
                                                 std::uint64_t(deck.get_int("data.split_seed")))};
  return out;
}

FactFormer2DConfig field_model_config(const Deck& deck, Index channels) {
  FactFormer2DConfig config = factformer2d_config(deck);
  const Index in_channels = deck.get_int("data.in_steps") * channels;
  if (config.in_channels != in_channels)
    bad(deck, "model.in_channels",
        fmt::format("data.in_steps × channels = {} × {} = {}", deck.get_int("data.in_steps"),
                    channels, in_channels),
        std::to_string(config.in_channels));
  if (config.out_channels != channels)
    bad(deck, "model.out_channels", fmt::format("the data's {} channel(s)", channels),
        std::to_string(config.out_channels));
  return config;
}

void write_field_extras(h5::File& file, const data::Normalization& normalization,
                        const data::FieldFileInfo& info) {
  normalization.save(file, "/normalization");
  file.ensure_group("/data");
  file.set_string_attr("/data", "path", info.path);
  file.set_string_attr("/data", "dataset_name", info.dataset_name);
  file.set_string_array_attr("/data", "channels", info.channels);
  file.set_int_array_attr(
      "/data", "spatial_shape",
      std::vector<std::int64_t>(info.spatial_shape.begin(), info.spatial_shape.end()));
}

TrainedFieldModel load_trained_field_model(const std::string& path) {
  std::string file = path;
  if (std::filesystem::is_directory(path)) {
    file = latest_checkpoint(path);
    if (file.empty())
      throw InputError(path +
                       ": expected a checkpoint file or a run directory holding "
                       "checkpoint_<step>.h5, found no checkpoint");
  }
  const Checkpoint checkpoint = read_checkpoint(file);
  Deck deck = Deck::resolve_text(field_task_schema(), checkpoint.config_toml,
                                 "checkpoint " + file + " (attribute config)", {});
  const h5::File h5file = h5::File::open_read(file);
  if (!h5file.exists("/normalization"))
    throw InputError(file +
                     ": /normalization: expected the training data's normalisation "
                     "(written by `portaformer train` for field models), found none");
  data::Normalization normalization = data::Normalization::load(h5file, "/normalization");
  Rng rng(0);  // the weights come from the checkpoint
  auto model = std::make_shared<FactFormer2D>(
      field_model_config(deck, Index(normalization.channels.size())), rng);
  std::vector<NamedTensor> targets;
  for (const auto& [name, tensor] : model->state_dict())
    targets.push_back({name, tensor});
  load_params(file, targets);
  model->set_training(false);
  return TrainedFieldModel{file, std::move(deck), checkpoint.config_toml, std::move(normalization),
                           std::move(model)};
}

}  // namespace pf
