// `portaformer evaluate` for crystal property models: errors in the target's units.
#include "core/error.hpp"
#include "parallel/comm.hpp"
#include "property/crystal_outputs.hpp"
#include "property/crystal_task.hpp"
#include "train/run_outputs.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>

namespace pf {

int evaluate_crystal(const CrystalEvaluateOptions& options) {
  const Comm comm = Comm::world();
  const TrainedCrystalModel trained = load_trained_crystal_model(options.checkpoint);
  const TargetScaler& scaler = trained.scaler;
  CrystalSelection sel = select_structures(trained, options.data, options.split);
  std::vector<std::int64_t> scored;
  for (std::int64_t i : sel.indices)
    if (sel.data.structures[size_t(i)].properties.count(scaler.target)) scored.push_back(i);
  if (scored.empty())
    throw InputError(
        fmt::format("{}: expected structures with target '{}' in part '{}', found "
                    "none ({} structures there)",
                    sel.path, scaler.target, sel.part, sel.indices.size()));
  const GraphCache graphs(sel.data.structures, crystal_graph_options(trained.deck));
  const std::vector<double> y =
      predict_standardized(trained.model, graphs, scored, trained.deck.get_int("eval.batch_size"));
  if (!comm.is_root()) return 0;

  const auto n = double(scored.size());
  double abs_sum = 0, sq_sum = 0, mean_true = 0, mean_pred_abs = 0;
  std::vector<double> truth(scored.size()), pred(scored.size());
  for (size_t k = 0; k < scored.size(); ++k) {
    truth[k] = sel.data.structures[size_t(scored[k])].properties.at(scaler.target);
    pred[k] = scaler.to_units(y[k]);
    mean_true += truth[k] / n;
  }
  double ss_tot = 0;
  for (size_t k = 0; k < scored.size(); ++k) {
    const double e = pred[k] - truth[k];
    abs_sum += std::abs(e);
    sq_sum += e * e;
    ss_tot += (truth[k] - mean_true) * (truth[k] - mean_true);
    mean_pred_abs += std::abs(scaler.mean - truth[k]);
  }
  const double mae = abs_sum / n, rmse = std::sqrt(sq_sum / n);
  const double r2 = ss_tot > 0 ? 1.0 - sq_sum / ss_tot : NAN;
  const double mae_mean = mean_pred_abs / n;

  std::filesystem::create_directories(options.output_dir);
  const std::filesystem::path dir(options.output_dir);
  nlohmann::json m;
  m["job"] = "evaluate";
  m["task"] = kCrystalTaskName;
  m["producer"] = options.provenance;
  m["checkpoint"] = trained.checkpoint;
  m["model"] = trained.model.name;
  m["data"] = sel.path;
  m["part"] = sel.part;
  m["target"] = scaler.target;
  m["units"] = scaler.units;
  m["structures"] = scored.size();
  m["mae"] = mae;
  m["rmse"] = rmse;
  m["r2"] = r2;
  m["mae_training_mean"] = mae_mean;
  m["config"] = trained.deck_toml;
  const std::string comments =
      fmt::format("# portaformer evaluate: checkpoint {}, data {} ({}), {}\n", trained.checkpoint,
                  sel.path, sel.part, options.provenance) +
      deck_comment_lines(trained.deck_toml);
  std::string per = comments + fmt::format("id,atoms,{0},{0}_predicted,error\n", scaler.target);
  for (size_t k = 0; k < scored.size(); ++k) {
    const crystal::Structure& s = sel.data.structures[size_t(scored[k])];
    per += fmt::format("{},{},{:.9g},{:.9g},{:.9g}\n", csv_field(s.id), s.species.size(), truth[k],
                       pred[k], pred[k] - truth[k]);
  }
  write_text_atomically((dir / "per_structure.csv").string(), per);
  write_text_atomically(
      (dir / "metrics.csv").string(),
      comments + "target,units,part,structures,mae,rmse,r2,mae_training_mean\n" +
          fmt::format("{},{},{},{},{:.9g},{:.9g},{:.9g},{:.9g}\n", scaler.target, scaler.units,
                      sel.part, scored.size(), mae, rmse, r2, mae_mean));
  write_text_atomically((dir / "metrics.json").string(), m.dump(2) + "\n");
  spdlog::info(
      "{} on {} ({}, {} structures): MAE {:.4g} {}, RMSE {:.4g}, R² {:.4f} (training "
      "mean: MAE {:.4g})",
      scaler.target, sel.path, sel.part, scored.size(), mae, scaler.units, rmse, r2, mae_mean);
  return 0;
}

}  // namespace pf
