// The foundation's end-to-end job: learn f(x, y) on [−1, 1]² with an MLP from an HDF5 dataset
// the program writes itself, through the shared training loop.
#include "train/demo_mlp.hpp"

#include "core/error.hpp"
#include "io/hdf5.hpp"
#include "io/hdf5_atomic.hpp"
#include "nn/layers.hpp"
#include "parallel/comm.hpp"
#include "train/checkpoint.hpp"
#include "train/optim_deck.hpp"
#include "train/run_outputs.hpp"
#include "train/train_loop.hpp"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace pf {

DeckSchema mlp_demo_schema() {
  using O = OptionType;
  DeckSchema s(
      "mlp_demo",
      "Train an MLP surrogate of an analytic 2-D field (the foundation's end-to-end demo).");
  s.add({"task", O::String, "\"mlp_demo\"", "what to train", {"factformer2d", "mlp_demo"}});
  s.add({"data.path", O::String, "\"\"",
         "HDF5 dataset (/inputs [N,2], /targets [N,1]); empty: <output>/mlp_demo_data.h5, "
         "generated if missing"});
  s.add({"data.function",
         O::String,
         "\"sincos\"",
         "target field: sincos = sin(πx)·cos(πy); gaussian = exp(−4(x²+y²)); peaks = a sum of "
         "three Gaussian bumps",
         {"sincos", "gaussian", "peaks"}});
  s.add({"data.samples", O::Int, "8192", "points drawn uniformly on [−1, 1]² when generating"});
  s.add({"data.valid_fraction", O::Float, "0.125",
         "trailing share of the samples held out for validation"});
  s.add({"data.seed", O::Int, "7", "seed of the generated points"});
  s.add({"model.hidden", O::IntList, "[64, 64, 64]", "widths of the hidden layers"});
  s.add({"model.activation",
         O::String,
         "\"gelu\"",
         "activation between layers",
         {"gelu", "silu", "tanh", "relu"}});
  s.add({"model.seed", O::Int, "0", "seed of the weight initialisation"});
  s.add({"optim.name", O::String, "\"adamw\"", "optimizer", {"adam", "adamw"}});
  s.add({"optim.lr", O::Float, "3e-3", "peak learning rate"});
  s.add({"optim.beta1", O::Float, "0.9", "Adam β₁ (onecycle cycles it between 0.85 and 0.95)"});
  s.add({"optim.beta2", O::Float, "0.999", "Adam β₂"});
  s.add({"optim.eps", O::Float, "1e-8", "Adam ε"});
  s.add({"optim.weight_decay", O::Float, "1e-5", "L2 (adam) or decoupled (adamw) weight decay"});
  s.add({"optim.decay_biases_and_norms", O::Bool, "false", "also decay 1-D parameters"});
  s.add({"schedule.kind",
         O::String,
         "\"cosine\"",
         "learning-rate schedule",
         {"constant", "step", "cosine", "onecycle"}});
  s.add({"schedule.warmup_steps", O::Int, "100", "cosine: linear warm-up steps"});
  s.add({"schedule.min_lr", O::Float, "1e-5", "cosine: final learning rate"});
  s.add({"schedule.step_size", O::Int, "1000", "step: steps between decays"});
  s.add({"schedule.gamma", O::Float, "0.5", "step: decay factor"});
  s.add({"schedule.pct_start", O::Float, "0.3", "onecycle: share of steps spent warming up"});
  s.add({"train.steps", O::Int, "3000", "optimizer steps"});
  s.add({"train.batch_size", O::Int, "256", "global batch (split evenly over MPI ranks)"});
  s.add({"train.seed", O::Int, "1", "seed of the batch order"});
  s.add({"train.clip_grad_norm", O::Float, "1.0", "clip the global gradient norm (≤ 0: off)"});
  s.add({"train.checkpoint_every", O::Int, "500", "steps between checkpoints (≤ 0: final only)"});
  s.add({"train.keep_checkpoints", O::Int, "2", "periodic checkpoints kept on disk"});
  s.add({"train.kill_at_step", O::Int, "0",
         "testing aid: the process kills itself (SIGKILL) after this step, to exercise --resume"});
  return s;
}

namespace {

// Ranges the schema's types cannot express, checked before any work starts.
void validate(const Deck& deck) {
  const auto require = [&](bool ok, const char* key, const char* expected,
                           const std::string& found) {
    if (!ok)
      throw InputError(std::string(key) + ": expected " + expected + ", found " + found +
                       " (deck " + deck.source() + ")");
  };
  const auto text = [](auto v) { return fmt::format("{}", v); };
  const double valid = deck.get_float("data.valid_fraction");
  require(valid > 0 && valid < 1, "data.valid_fraction", "a fraction in (0, 1)", text(valid));
  require(deck.get_int("data.samples") >= 2, "data.samples", "at least 2",
          text(deck.get_int("data.samples")));
  for (std::int64_t w : deck.get_int_list("model.hidden"))
    require(w >= 1, "model.hidden", "widths of at least 1", text(w));
  require(deck.get_int("train.steps") >= 1, "train.steps", "at least 1",
          text(deck.get_int("train.steps")));
  require(deck.get_int("train.keep_checkpoints") >= 1, "train.keep_checkpoints", "at least 1",
          text(deck.get_int("train.keep_checkpoints")));
  require(deck.get_int("train.kill_at_step") >= 0, "train.kill_at_step", "0 (off) or a step",
          text(deck.get_int("train.kill_at_step")));
  require(deck.get_float("optim.lr") > 0, "optim.lr", "a positive learning rate",
          text(deck.get_float("optim.lr")));
}

double target_function(const std::string& name, double x, double y) {
  if (name == "gaussian") return std::exp(-4 * (x * x + y * y));
  if (name == "peaks")
    return std::exp(-8 * ((x - 0.4) * (x - 0.4) + y * y)) -
           0.8 * std::exp(-10 * ((x + 0.5) * (x + 0.5) + (y - 0.4) * (y - 0.4))) +
           0.5 * std::exp(-12 * (x * x + (y + 0.5) * (y + 0.5)));
  return std::sin(M_PI * x) * std::cos(M_PI * y);
}

void write_dataset(const std::string& path, const Deck& deck) {
  const std::string fn = deck.get_string("data.function");
  const std::int64_t n = deck.get_int("data.samples");
  if (n < 2) throw InputError("data.samples: expected at least 2, found " + std::to_string(n));
  Rng rng(std::uint64_t(deck.get_int("data.seed")));
  std::vector<float> inputs(2 * n), targets(n);
  for (std::int64_t i = 0; i < n; ++i) {
    const double x = rng.uniform(-1, 1), y = rng.uniform(-1, 1);
    inputs[2 * i] = float(x);
    inputs[2 * i + 1] = float(y);
    targets[i] = float(target_function(fn, x, y));
  }
  h5::write_file_atomically(path, [&](h5::File& f) {
    f.write("/inputs", inputs, {n, 2});
    f.write("/targets", targets, {n, 1});
    f.set_string_attr("/", "function", fn);
    f.set_string_attr("/", "description", "points on [-1,1]^2 (inputs: x, y) and the field value");
    f.set_string_attr("/", "config", deck.to_toml());
  });
  spdlog::info("wrote {} samples of '{}' to {}", n, fn, path);
}

struct Dataset {
  Tensor<float> inputs, targets;  // [N, 2], [N, 1]
};

Dataset read_dataset(const std::string& path) {
  const h5::File f = h5::File::open_read(path);
  const auto in = f.read<float>("/inputs");
  const auto out = f.read<float>("/targets");
  if (in.shape.size() != 2 || in.shape[1] != 2)
    throw InputError(path + ": /inputs: expected shape [N, 2], found " + to_string(in.shape));
  if (out.shape != Shape{in.shape[0], 1})
    throw InputError(path + ": /targets: expected shape [" + std::to_string(in.shape[0]) +
                     ", 1], found " + to_string(out.shape));
  return {Tensor<float>::from_host(in.shape, in.values),
          Tensor<float>::from_host(out.shape, out.values)};
}

// Rows `rows` of a [N, C] tensor.
Tensor<float> rows(const Tensor<float>& t, const std::vector<std::int64_t>& rows) {
  return gather(t, 0, make_index(rows));
}

double evaluate_mse(const Mlp<float>& model, const Dataset& data, std::int64_t first,
                    std::int64_t count) {
  NoGradGuard no_grad;
  const Tensor<float> x = slice(data.inputs, 0, first, first + count);
  const Tensor<float> y = slice(data.targets, 0, first, first + count);
  return mse_loss(model.forward(x), y).item();
}

}  // namespace

int run_mlp_demo(const Deck& deck, const RunOptions& options) {
  validate(deck);
  const Comm comm = Comm::world();
  const auto start = std::chrono::steady_clock::now();
  std::filesystem::create_directories(options.output_dir);
  std::string data_path = deck.get_string("data.path");
  if (data_path.empty())
    data_path = (std::filesystem::path(options.output_dir) / "mlp_demo_data.h5").string();
  if (comm.is_root() && !std::filesystem::exists(data_path)) write_dataset(data_path, deck);
  comm.barrier();
  const Dataset data = read_dataset(data_path);
  const std::int64_t n = data.inputs.dim(0);
  const std::int64_t n_valid =
      std::int64_t(std::floor(double(n) * deck.get_float("data.valid_fraction")));
  const std::int64_t n_train = n - n_valid;

  std::vector<Index> widths = {2};
  for (std::int64_t w : deck.get_int_list("model.hidden"))
    widths.push_back(w);
  widths.push_back(1);
  Rng init_rng(std::uint64_t(deck.get_int("model.seed")));
  Mlp<float> model(widths, parse_activation(deck.get_string("model.activation")), init_rng);
  spdlog::info("model: MLP {} with {} parameters; {} training and {} validation samples",
               to_string(widths), model.parameter_count(), n_train, n_valid);

  Adam<float> optimizer(model.named_parameters(), adam_config_from_deck(deck));
  const ScheduleConfig sc = schedule_config_from_deck(deck);

  BatchSampler sampler(n_train, deck.get_int("train.batch_size"), comm.rank(), comm.size(),
                       std::uint64_t(deck.get_int("train.seed")));
  TrainLoopConfig tc;
  tc.steps = deck.get_int("train.steps");
  tc.clip_grad_norm = deck.get_float("train.clip_grad_norm");
  tc.checkpoint_every = deck.get_int("train.checkpoint_every");
  tc.keep_checkpoints = deck.get_int("train.keep_checkpoints");
  tc.kill_at_step = deck.get_int("train.kill_at_step");
  tc.output_dir = options.output_dir;
  tc.config_toml = deck.to_toml();
  TrainLoop loop(model, optimizer, LrSchedule(sc), sampler, comm, tc);
  if (options.resume) loop.resume();

  const double initial_valid = evaluate_mse(model, data, n_train, n_valid);
  loop.run([&](std::int64_t, const std::vector<std::int64_t>& batch) {
    return mse_loss(model.forward(rows(data.inputs, batch)), rows(data.targets, batch));
  });

  const double train_mse = evaluate_mse(model, data, 0, n_train);
  const double valid_mse = evaluate_mse(model, data, n_train, n_valid);
  const auto& h = loop.history();
  const double first_loss = h.empty() ? NAN : h.front().loss;
  const double last_loss = h.empty() ? NAN : h.back().loss;
  spdlog::info(
      "done: train MSE {:.3e}, validation MSE {:.3e} (first batch loss {:.3e}, last {:.3e}, "
      "loss fell {:.1f}×)",
      train_mse, valid_mse, first_loss, last_loss, first_loss / last_loss);
  if (comm.is_root()) {
    nlohmann::json m;
    m["job"] = "mlp_demo";
    m["steps"] = loop.step();
    m["ranks"] = comm.size();
    m["parameters"] = model.parameter_count();
    m["first_batch_loss"] = first_loss;
    m["last_batch_loss"] = last_loss;
    m["loss_reduction"] = first_loss / last_loss;
    m["train_mse"] = train_mse;
    m["valid_mse"] = valid_mse;
    m["valid_mse_at_start_of_this_run"] = initial_valid;
    m["wall_seconds_this_run"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m["config"] = deck.to_toml();
    write_text_atomically((std::filesystem::path(options.output_dir) / "metrics.json").string(),
                          m.dump(2) + "\n");
    write_text_atomically((std::filesystem::path(options.output_dir) / "history.csv").string(),
                          history_csv(deck.to_toml(), h, {}));
  }
  return 0;
}

}  // namespace pf
