#include "property/train_crystal.hpp"

#include "core/error.hpp"
#include "core/rng.hpp"
#include "io/hdf5.hpp"
#include "parallel/comm.hpp"
#include "property/crystal_task.hpp"
#include "tensor/ops.hpp"
#include "train/checkpoint.hpp"
#include "train/optim_deck.hpp"
#include "train/run_outputs.hpp"
#include "train/train_loop.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>

namespace pf {

namespace {

// The schedule spans the deck's epochs even when train.max_steps stops the run earlier, so a
// smoke test runs the first steps of the real recipe.
ScheduleConfig crystal_schedule(const Deck& deck, std::int64_t total_steps) {
  ScheduleConfig sc;
  sc.kind = deck.get_string("schedule.kind");
  sc.lr = deck.get_float("optim.lr");
  sc.total_steps = total_steps;
  sc.pct_start = deck.get_float("schedule.pct_start");
  sc.div_factor = deck.get_float("schedule.div_factor");
  sc.final_div_factor = deck.get_float("schedule.final_div_factor");
  sc.warmup_steps = deck.get_int("schedule.warmup_steps");
  sc.min_lr = deck.get_float("schedule.min_lr");
  return sc;
}

double mean_absolute_error(const std::vector<double>& standardized,
                           const std::vector<std::int64_t>& indices,
                           const crystal::StructureDataset& data, const TargetScaler& scaler) {
  double sum = 0;
  for (size_t i = 0; i < indices.size(); ++i)
    sum += std::abs(scaler.to_units(standardized[i]) -
                    data.structures[size_t(indices[i])].properties.at(scaler.target));
  return sum / double(indices.size());
}

// Which structure went where, for baselines and plots made outside portaformer.
std::string split_csv(const std::string& deck_toml, const crystal::StructureDataset& data,
                      const CrystalSplit& split) {
  std::string csv = deck_comment_lines(deck_toml) + "index,id,part\n";
  const auto rows = [&](const std::vector<std::int64_t>& part, const char* name) {
    for (std::int64_t i : part)
      csv += fmt::format("{},{},{}\n", i, csv_field(data.structures[size_t(i)].id), name);
  };
  rows(split.train, "train");
  rows(split.valid, "valid");
  rows(split.test, "test");
  return csv;
}

}  // namespace

int train_crystal_model(const Deck& deck, const RunOptions& options) {
  validate_crystal_deck(deck);
  const Comm comm = Comm::world();
  const auto start_time = std::chrono::steady_clock::now();

  const std::string path = deck.get_string("data.path");
  if (path.empty())
    throw InputError("deck " + deck.source() +
                     ": option 'data.path': expected a structure dataset (from `portaformer "
                     "import-structures` or `simulate`), found nothing");
  const crystal::StructureDataset data = crystal::read_structure_dataset(path);
  const std::string target = deck.get_string("data.target");
  const std::vector<std::string> names = crystal::target_names(data.structures);
  if (target.empty() || std::find(names.begin(), names.end(), target) == names.end())
    throw InputError(
        fmt::format("deck {}: option 'data.target': expected one of the targets of "
                    "{} ({}), found '{}'",
                    deck.source(), path, fmt::join(names, ", "), target));
  const CrystalSplit split = split_structures(deck, data, target);
  const Index batch = deck.get_int("train.batch_size");
  if (std::int64_t(split.train.size()) < batch)
    throw InputError(fmt::format(
        "deck {}: option 'train.batch_size': expected at most the {} training structures (each "
        "epoch skips its incomplete last batch), found {}",
        deck.source(), split.train.size(), batch));
  const TargetScaler scaler = fit_target_scaler(data, target, split.train);

  const GraphCache graphs(data.structures, crystal_graph_options(deck));
  // Created once the data and deck are known good, so a rejected run leaves nothing behind.
  std::filesystem::create_directories(options.output_dir);
  if (comm.is_root())
    write_text_atomically((std::filesystem::path(options.output_dir) / "split.csv").string(),
                          split_csv(deck.to_toml(), data, split));
  spdlog::info(
      "data: {} ({} structures; target '{}' [{}]: {} train, {} valid, {} test; train mean {:.6g}, "
      "std {:.6g})",
      path, data.structures.size(), target, scaler.units, split.train.size(), split.valid.size(),
      split.test.size(), scaler.mean, scaler.std);
  spdlog::info(
      "graphs: {} structures in {:.3f} s ({:.3f} ms per structure), {:.1f} edges per "
      "structure (k = {})",
      data.structures.size(), graphs.build_seconds(),
      1e3 * graphs.build_seconds() / double(std::max<size_t>(1, data.structures.size())),
      double(graphs.total_edges()) / double(std::max<size_t>(1, data.structures.size())),
      deck.get_int("graph.max_neighbors"));

  Rng init_rng(std::uint64_t(deck.get_int("model.seed")));
  const CrystalModel model = make_crystal_model(deck, init_rng);
  spdlog::info("model: {} with {} trainable parameters", model.name,
               model.module->parameter_count());

  Adam<float> optimizer(model.module->named_parameters(), adam_config_from_deck(deck));
  BatchSampler sampler(std::int64_t(split.train.size()), batch, comm.rank(), comm.size(),
                       std::uint64_t(deck.get_int("train.seed")));
  const std::int64_t per_epoch = sampler.batches_per_epoch();
  const std::int64_t schedule_steps = per_epoch * deck.get_int("train.epochs");
  const std::int64_t max_steps = deck.get_int("train.max_steps");
  TrainLoopConfig tc;
  tc.steps = max_steps > 0 ? std::min(max_steps, schedule_steps) : schedule_steps;
  tc.clip_grad_norm = deck.get_float("train.clip_grad_norm");
  tc.checkpoint_every = deck.get_int("train.checkpoint_every") > 0
                            ? deck.get_int("train.checkpoint_every")
                            : per_epoch;
  tc.keep_checkpoints = deck.get_int("train.keep_checkpoints");
  tc.kill_at_step = deck.get_int("train.kill_at_step");
  tc.output_dir = options.output_dir;
  tc.config_toml = deck.to_toml();
  tc.annotate_checkpoint = [&](h5::File& file) {
    write_crystal_extras(file, scaler, path, std::int64_t(data.structures.size()));
  };
  const Index eval_batch = deck.get_int("eval.batch_size");
  std::unique_ptr<TrainLoop> loop;
  if (!split.valid.empty()) {
    tc.validate_every =
        deck.get_int("train.validate_every") > 0 ? deck.get_int("train.validate_every") : per_epoch;
    tc.validate = [&] {
      return mean_absolute_error(predict_standardized(model, graphs, split.valid, eval_batch),
                                 split.valid, data, scaler);
    };
    const std::string best =
        (std::filesystem::path(options.output_dir) / "checkpoint_best.h5").string();
    tc.on_best = [&loop, best, &comm] {
      if (comm.is_root()) loop->save(best);
    };
  } else {
    spdlog::warn(
        "no validation structures (data.valid_fraction = {}): no validation, no best "
        "checkpoint",
        deck.get_float("data.valid_fraction"));
  }
  loop = std::make_unique<TrainLoop>(*model.module, optimizer,
                                     LrSchedule(crystal_schedule(deck, schedule_steps)), sampler,
                                     comm, tc);
  if (options.resume) loop->resume();

  loop->run([&](std::int64_t, const std::vector<std::int64_t>& local) {
    std::vector<std::int64_t> ids;
    std::vector<float> y;
    for (std::int64_t k : local) {
      const std::int64_t i = split.train[size_t(k)];
      ids.push_back(i);
      y.push_back(float(scaler.standardize(data.structures[size_t(i)].properties.at(target))));
    }
    const Tensor<float> predicted = model.forward(graphs.batch(ids, model.num_species));
    return mse_loss(predicted, Tensor<float>::from_host({Index(y.size()), 1}, y));
  });

  if (comm.is_root()) {
    const auto& h = loop->history();
    const auto& v = loop->validation_history();
    nlohmann::json m;
    m["job"] = "train";
    m["task"] = kCrystalTaskName;
    m["model"] = model.name;
    m["steps"] = loop->step();
    m["epochs_run"] = double(loop->step()) / double(per_epoch);
    m["ranks"] = comm.size();
    m["parameters"] = model.module->parameter_count();
    m["data"] = path;
    m["target"] = target;
    m["units"] = scaler.units;
    m["structures"] = {
        {"train", split.train.size()}, {"valid", split.valid.size()}, {"test", split.test.size()}};
    m["target_scaler"] = {{"mean", scaler.mean}, {"std", scaler.std}};
    m["graph_seconds"] = graphs.build_seconds();
    m["graph_ms_per_structure"] =
        1e3 * graphs.build_seconds() / double(std::max<size_t>(1, data.structures.size()));
    m["first_batch_loss"] = h.empty() ? NAN : h.front().loss;
    m["last_batch_loss"] = h.empty() ? NAN : h.back().loss;
    if (!v.empty()) {
      double best = v.front().loss;
      for (const auto& r : v)
        best = std::min(best, r.loss);
      m["valid_mae_best"] = best;
      m["valid_mae_last"] = v.back().loss;
    }
    m["wall_seconds_this_run"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time).count();
    m["checkpoint"] = latest_checkpoint(options.output_dir);
    m["config"] = deck.to_toml();
    const std::filesystem::path dir(options.output_dir);
    write_text_atomically((dir / "metrics.json").string(), m.dump(2) + "\n");
    write_text_atomically((dir / "history.csv").string(), history_csv(deck.to_toml(), h, v));
    spdlog::info("done: {} steps, last batch loss {:.4e}{}", loop->step(),
                 m["last_batch_loss"].get<double>(),
                 v.empty() ? std::string()
                           : fmt::format(", validation MAE best {:.4g} {}",
                                         m["valid_mae_best"].get<double>(), scaler.units));
  }
  comm.barrier();
  return 0;
}

}  // namespace pf
