#include "train/run_outputs.hpp"

#include "core/error.hpp"
#include "io/atomic_output.hpp"
#include "train/checkpoint.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace pf {

void write_text_atomically(const std::string& path, const std::string& text) {
  AtomicOutput out(path);
  {
    std::ofstream f(out.temp_path());
    f << text;
    if (!f.flush()) throw InputError(path + ": could not write");
  }
  out.commit();
}

std::string deck_comment_lines(const std::string& deck_toml) {
  std::string lines;
  std::istringstream deck_lines(deck_toml);
  for (std::string line; std::getline(deck_lines, line);)
    lines += "# " + line + "\n";
  return lines;
}

std::string history_csv(const std::string& deck_toml, const std::vector<StepRecord>& steps,
                        const std::vector<ValidationRecord>& validation) {
  // A validation record at step s was measured after the step with index s - 1.
  std::map<std::int64_t, double> valid_after;
  for (const ValidationRecord& v : validation)
    valid_after[v.step - 1] = v.loss;
  std::string csv = deck_comment_lines(deck_toml) + "step,lr,loss,grad_norm,valid_loss\n";
  for (const StepRecord& r : steps) {
    const auto it = valid_after.find(r.step);
    csv += fmt::format("{},{:.6e},{:.6e},{:.6e},{}\n", r.step, r.lr, r.loss, r.grad_norm,
                       it == valid_after.end() ? std::string() : fmt::format("{:.6e}", it->second));
  }
  return csv;
}

void write_training_summary(nlohmann::json& m, const std::string& output_dir,
                            const std::string& deck_toml, const std::vector<StepRecord>& h,
                            const std::vector<ValidationRecord>& v,
                            std::chrono::steady_clock::time_point start) {
  m["first_batch_loss"] = h.empty() ? NAN : h.front().loss;
  m["last_batch_loss"] = h.empty() ? NAN : h.back().loss;
  m["wall_seconds_this_run"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  m["checkpoint"] = latest_checkpoint(output_dir);
  m["config"] = deck_toml;
  const std::filesystem::path dir(output_dir);
  write_text_atomically((dir / "metrics.json").string(), m.dump(2) + "\n");
  write_text_atomically((dir / "history.csv").string(), history_csv(deck_toml, h, v));
}

}  // namespace pf
