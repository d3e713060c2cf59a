// Small text outputs of a run, written atomically with the resolved deck inside.
#pragma once

#include "train/train_loop.hpp"

#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace pf {

// Writes `text` to a temporary beside `path` and renames it into place.
void write_text_atomically(const std::string& path, const std::string& text);

// The resolved deck as '# ' comment lines, heading a CSV so the file stands on its own.
std::string deck_comment_lines(const std::string& deck_toml);

// history.csv: step, lr, loss, grad norm, and the validation loss where one was measured.
std::string history_csv(const std::string& deck_toml, const std::vector<StepRecord>& steps,
                        const std::vector<ValidationRecord>& validation);

// Completes a training run's `metrics` with what every trainer reports (first and last batch
// loss, wall seconds since `start`, the latest checkpoint in output_dir, the resolved deck) and
// writes it as output_dir/metrics.json, with output_dir/history.csv beside it.
void write_training_summary(nlohmann::json& metrics, const std::string& output_dir,
                            const std::string& deck_toml, const std::vector<StepRecord>& steps,
                            const std::vector<ValidationRecord>& validation,
                            std::chrono::steady_clock::time_point start);

}  // namespace pf
