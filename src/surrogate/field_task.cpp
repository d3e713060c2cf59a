#include "surrogate/field_task.hpp"

#include "config/deck_checks.hpp"
#include "core/error.hpp"
#include "core/rng.hpp"
#include "io/hdf5.hpp"
#include "surrogate/factformer_tasks.hpp"
#include "train/checkpoint.hpp"

#include <fmt/format.h>
#include <toml.hpp>

#include <filesystem>
#include <sstream>
#include <stdexcept>

namespace pf {

const std::vector<FieldTask>& field_tasks() {
  static const std::vector<FieldTask> tasks{factformer2d_task(), factformer3d_task()};
  return tasks;
}

const FieldTask* find_field_task(const std::string& name) {
  for (const FieldTask& task : field_tasks())
    if (task.name == name) return &task;
  return nullptr;
}

const FieldTask& field_task_of(const Deck& deck) {
  const FieldTask* task = find_field_task(deck.get_string("task"));
  if (!task)
    throw std::logic_error("field_task_of: deck " + deck.source() + " names no field task");
  return *task;
}

DeckSchema field_task_schema(const std::string& name) {
  const FieldTask* task = find_field_task(name);
  if (!task) {
    std::string names;
    for (const FieldTask& t : field_tasks())
      names += (names.empty() ? "" : ", ") + t.name;
    throw InputError("option 'task': expected one of " + names + ", found '" + name + "'");
  }
  return task->schema();
}

void add_field_task_options(DeckSchema& s, const FieldRecipe& r) {
  using O = OptionType;
  const auto ref = [&](const std::string& doc, const char* value) {
    return doc + " (" + r.source + ": " + value + ")";
  };
  std::vector<std::string> tasks;
  for (const FieldTask& t : field_tasks())
    tasks.push_back(t.name);
  tasks.push_back("mlp_demo");
  s.add({"task", O::String, "\"" + s.name() + "\"", "what to train", tasks});
  s.add({"data.path", O::String, "\"\"",
         "HDF5 field dataset, e.g. from `portaformer simulate` (required)"});
  s.add({"data.fields", O::String, r.fields,
         "fields to learn, comma separated (a vector field adds all its components); empty: "
         "every field of the file"});
  s.add({"data.in_steps", O::Int, r.in_steps, "input window: past frames given to the model"});
  s.add({"data.valid_fraction", O::Float, "0.1", "share of trajectories held out for validation"});
  s.add({"data.test_fraction", O::Float, "0.1",
         "share of trajectories held out for testing (predict/evaluate default to them)"});
  s.add({"data.split_seed", O::Int, "1234", "seed of the trajectory split"});
  s.add({"data.window_stride", O::Int, "1", "frames between the starts of training windows"});
  s.add({"model.seed", O::Int, "0", "seed of the weight initialisation"});
  s.add({"optim.name", O::String, "\"adamw\"", "optimizer", {"adam", "adamw"}});
  s.add({"optim.lr", O::Float, r.lr, ref("peak learning rate", r.lr)});
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
  s.add({"schedule.pct_start", O::Float, r.pct_start,
         ref("onecycle: share of steps spent warming up", r.pct_start)});
  s.add({"schedule.div_factor", O::Float, "1e4", "onecycle: initial lr = lr / div_factor"});
  s.add({"schedule.final_div_factor", O::Float, "1e5",
         "onecycle: final lr = initial lr / final_div_factor"});
  s.add({"schedule.warmup_steps", O::Int, "0", "cosine: linear warm-up steps"});
  s.add({"schedule.min_lr", O::Float, "0.0", "cosine: final learning rate"});
  s.add({"train.steps", O::Int, r.steps, ref("optimizer steps", r.steps)});
  s.add({"train.batch_size", O::Int, r.batch_size,
         ref("global batch (split evenly over MPI ranks)", r.batch_size)});
  s.add({"train.seed", O::Int, "1", "seed of the batch order"});
  s.add({"train.clip_grad_norm", O::Float, r.clip_grad_norm,
         ref("clip the global gradient norm (≤ 0: off)", r.clip_grad_norm)});
  s.add({"train.curriculum_start", O::Int, "1", "latent steps trained at first"});
  s.add({"train.curriculum_end", O::Int, "4",
         "latent steps trained at the end of the curriculum (≤ model.max_latent_steps)"});
  s.add({"train.curriculum_steps", O::Int, "6000",
         "steps over which the latent steps grow linearly from start to end"});
  s.add({"train.pushforward_after", O::Int, r.pushforward_after,
         ref("pushforward training starts after this step (≥ train.steps: never)",
             r.pushforward_after)});
  s.add(
      {"train.pushforward_every", O::Int, "3", "every n-th step after that is a pushforward step"});
  s.add({"train.pushforward_rollouts", O::Int, r.pushforward_rollouts,
         ref("model calls without gradient before the trained call in a pushforward step",
             r.pushforward_rollouts)});
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
}

void validate_field_deck(const Deck& deck) {
  require_at_least(deck, "data.in_steps", 1);
  require_at_least(deck, "data.window_stride", 1);
  require_at_least(deck, "train.steps", 1);
  require_at_least(deck, "train.batch_size", 1);
  require_at_least(deck, "train.curriculum_start", 1);
  require_at_least(deck, "train.curriculum_steps", 1);
  require_at_least(deck, "train.pushforward_every", 1);
  require_at_least(deck, "train.pushforward_rollouts", 1);
  require_at_least(deck, "train.keep_checkpoints", 1);
  require_at_least(deck, "train.kill_at_step", 0);
  require_at_least(deck, "train.validate_every", 0);
  require_at_least(deck, "eval.steps", 1);
  require_at_least(deck, "eval.latent_steps", 1);
  require_at_least(deck, "eval.valid_windows", 1);
  for (const char* key : {"data.valid_fraction", "data.test_fraction"}) {
    const double f = deck.get_float(key);
    if (!(f >= 0 && f < 1)) bad_option(deck, key, "a fraction in [0, 1)", fmt::format("{}", f));
  }
  if (deck.get_float("data.valid_fraction") + deck.get_float("data.test_fraction") >= 1)
    bad_option(deck, "data.test_fraction", "valid + test fractions below 1",
               fmt::format("{} + {}", deck.get_float("data.valid_fraction"),
                           deck.get_float("data.test_fraction")));
  if (deck.get_float("optim.lr") <= 0)
    bad_option(deck, "optim.lr", "a positive learning rate",
               fmt::format("{}", deck.get_float("optim.lr")));
  const Index max_latent_steps = field_task_of(deck).max_latent_steps(deck);
  if (deck.get_int("train.curriculum_end") < deck.get_int("train.curriculum_start") ||
      deck.get_int("train.curriculum_end") > max_latent_steps)
    bad_option(deck, "train.curriculum_end",
               fmt::format("between train.curriculum_start ({}) and model.max_latent_steps ({})",
                           deck.get_int("train.curriculum_start"), max_latent_steps),
               std::to_string(deck.get_int("train.curriculum_end")));
  if (deck.get_int("eval.latent_steps") > max_latent_steps)
    bad_option(deck, "eval.latent_steps",
               fmt::format("at most model.max_latent_steps ({})", max_latent_steps),
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

void check_field_grid(const FieldTask& task, const data::FieldFileInfo& info,
                      const std::string& path, const std::string& whose) {
  const Shape& grid = info.spatial_shape;
  if (Index(grid.size()) != task.spatial_rank)
    throw InputError(
        fmt::format("{}: expected a {}-D dataset for {} ({}), found {} spatial "
                    "dimensions (grid {})",
                    path, task.spatial_rank, whose, task.model_name, grid.size(), to_string(grid)));
  for (Index n : grid)
    if (n % task.grid_multiple != 0)
      throw InputError(
          fmt::format("{}: expected grid extents that are multiples of {} for {} "
                      "({}), found grid {}",
                      path, task.grid_multiple, whose, task.model_name, to_string(grid)));
}

FieldData open_field_data(const Deck& deck, const std::string& path_override) {
  const std::string path = path_override.empty() ? deck.get_string("data.path") : path_override;
  if (path.empty())
    bad_option(deck, "data.path", "the HDF5 dataset to train on (e.g. from `portaformer simulate`)",
               "nothing");
  // The grid first, from every field: a dataset of the wrong dimension is named as such, not as
  // one that lacks the task's fields.
  check_field_grid(field_task_of(deck), data::inspect_fields(path, {}), path,
                   "task " + deck.get_string("task"));
  auto reader = std::make_shared<const data::FieldReader>(
      path, parse_field_list(deck.get_string("data.fields")));
  const data::FieldFileInfo& info = reader->info();
  const Index needed = deck.get_int("data.in_steps") + 1;
  if (info.n_steps < needed)
    throw InputError(path + ": expected at least data.in_steps + 1 = " + std::to_string(needed) +
                     " frames per trajectory, found " + std::to_string(info.n_steps));
  FieldData out{reader, data::split_trajectories(info.n_traj, deck.get_float("data.valid_fraction"),
                                                 deck.get_float("data.test_fraction"),
                                                 std::uint64_t(deck.get_int("data.split_seed")))};
  return out;
}

std::shared_ptr<const WallVelocity> field_walls(const Deck& deck, const data::FieldFileInfo& info,
                                                const data::Normalization& norm) {
  const WallSamples samples = deck.has("train.wall_velocity")
                                  ? wall_samples_from_string(deck.get_string("train.wall_velocity"))
                                  : WallSamples::None;
  return std::make_shared<const WallVelocity>(samples, info, norm);
}

std::string task_in_toml(const std::string& toml_text, const std::string& source) {
  std::istringstream in(toml_text);
  toml::value doc;
  try {
    doc = toml::parse(in, source);
  } catch (const std::exception& e) {
    throw InputError(source + ": expected a TOML deck, found a malformed one (" + e.what() + ")");
  }
  if (!doc.is_table() || !doc.contains("task")) return "factformer2d";
  if (!doc.at("task").is_string())
    throw InputError(source + ": option 'task': expected a string, found another type");
  return doc.at("task").as_string();
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
  const std::string source = "checkpoint " + file + " (attribute config)";
  const FieldTask* task = find_field_task(task_in_toml(checkpoint.config_toml, source));
  if (!task)
    throw InputError(source + ": option 'task': expected a field model's task, found '" +
                     task_in_toml(checkpoint.config_toml, source) + "'");
  Deck deck = Deck::resolve_text(task->schema(), checkpoint.config_toml, source, {});
  const h5::File h5file = h5::File::open_read(file);
  if (!h5file.exists("/normalization"))
    throw InputError(file +
                     ": /normalization: expected the training data's normalisation "
                     "(written by `portaformer train` for field models), found none");
  data::Normalization normalization = data::Normalization::load(h5file, "/normalization");
  Rng rng(0);  // the weights come from the checkpoint
  std::shared_ptr<FieldModel> model =
      task->make_model(deck, Index(normalization.channels.size()), rng);
  load_params(file, as_named(model->module().state_dict()));
  model->module().set_training(false);
  return TrainedFieldModel{file, std::move(deck),          checkpoint.config_toml,
                           task, std::move(normalization), std::move(model)};
}

}  // namespace pf
