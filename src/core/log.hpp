// Logging setup for batch jobs: one readable stream from rank 0, only problems from the others.
// Everywhere else logs through spdlog's free functions (spdlog::info, spdlog::warn, ...).
#pragma once

#include <string>
#include <vector>

namespace pf {

// The level names init_logging accepts, most verbose first.
const std::vector<std::string>& log_level_names();

// Rank 0 logs to stdout at `level` ("trace", "debug", "info", "warn", "error", "critical",
// "off"); other ranks log warnings and errors to stderr, prefixed with their rank, so a
// 256-rank job does not print every line 256 times. `log_file`, if given, receives rank 0's
// stream at the same level (other ranks do not write it: several processes appending to one
// file interleave lines). Calling it again replaces the previous setup.
// Throws pf::InputError for an unknown level or a log file that cannot be opened.
void init_logging(int rank, const std::string& level, const std::string& log_file = "");

}  // namespace pf
