#include "core/log.hpp"

#include "core/error.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>

namespace pf {

const std::vector<std::string>& log_level_names() {
  static const std::vector<std::string> names = {"trace", "debug",    "info", "warn",
                                                 "error", "critical", "off"};
  return names;
}

void init_logging(int rank, const std::string& level, const std::string& log_file) {
  const auto& names = log_level_names();
  if (std::find(names.begin(), names.end(), level) == names.end()) {
    throw InputError("log level \"" + level +
                     "\": expected one of trace, debug, info, warn, error, critical, off");
  }
  // Timestamps matter in batch logs: they are how a slow phase is found after the fact.
  const std::string time = "[%Y-%m-%d %H:%M:%S.%e] ";
  std::vector<spdlog::sink_ptr> sinks;
  spdlog::level::level_enum min_level;
  if (rank == 0) {
    min_level = spdlog::level::from_str(level);
    auto console = std::make_shared<spdlog::sinks::stdout_color_sink_mt>();
    console->set_pattern(time + "[%^%l%$] %v");
    sinks.push_back(console);
    if (!log_file.empty()) {
      try {
        auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(log_file);
        file->set_pattern(time + "[%l] %v");
        sinks.push_back(file);
      } catch (const spdlog::spdlog_ex& e) {
        throw InputError("log file \"" + log_file + "\": cannot be opened: " + e.what());
      }
    }
  } else {
    min_level = std::max(spdlog::level::from_str(level), spdlog::level::warn);
    auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    console->set_pattern(time + "[rank " + std::to_string(rank) + "] [%^%l%$] %v");
    sinks.push_back(console);
  }
  for (auto& sink : sinks)
    sink->set_level(min_level);

  auto logger = std::make_shared<spdlog::logger>("portaformer", sinks.begin(), sinks.end());
  logger->set_level(min_level);
  // A job killed at its wall-time limit must not lose the last lines of its log.
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace pf
