#include "train/run_outputs.hpp"

#include "core/error.hpp"
#include "io/atomic_output.hpp"

#include <fmt/format.h>

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

}  // namespace pf
