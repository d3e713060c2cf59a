// `portaformer import-csv`: converts a CSV of time series into a series file (docs/timeseries.md).
#include "build_info.hpp"
#include "command.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "data/csv_import.hpp"

#include <spdlog/spdlog.h>

#include <memory>

namespace pf::app {

namespace {
const char* const kImportHelp =
    "Reads a CSV with a header line: an optional date column (named date, time, datetime or\n"
    "timestamp, or a first column of calendar dates; or name it with --date-column, or 'none')\n"
    "and numeric channels (all other columns, or --columns). Dates like 2016-07-01 00:00:00,\n"
    "2016-07-01, 2016-07 or 2016/07/01 become seconds since 1970-01-01 (taken as written, no\n"
    "time zone); a numeric time column is kept as numbers in the column's unit. Quoted fields\n"
    "may hold commas, quotes (doubled) and line breaks. Missing cells (empty, NA, NaN, null,\n"
    "N/A, None) stop the import by default; --missing ffill repeats the value above, --missing\n"
    "interpolate interpolates linearly between neighbouring rows (repeating the nearest value at\n"
    "the ends). Ragged rows, non-numeric cells, times that do not increase and an empty file\n"
    "stop it with the line, column and value (exit code 2) and nothing is written; the output\n"
    "is written under a temporary name and renamed when complete.";

struct ImportArgs {
  std::string input, output;
  data::CsvImportOptions options;
  std::string missing = "error";
  std::string delimiter = ",";
  std::string log_level = "info";
};
}  // namespace

void add_import_csv_command(CLI::App& app, CommandList& commands) {
  auto args = std::make_shared<ImportArgs>();
  CLI::App* cmd = app.add_subcommand("import-csv", "Convert a CSV of time series to HDF5");
  cmd->footer(kImportHelp);
  cmd->add_option("input", args->input, "CSV file")->required();
  cmd->add_option("-o,--output", args->output, "Series file to write (.h5)")->required();
  cmd->add_option("--date-column", args->options.date_column,
                  "Time column: a header name, 'none', or empty to detect it");
  cmd->add_option("--columns", args->options.columns, "Channels, in this order (default: all)")
      ->delimiter(',');
  cmd->add_option("--target", args->options.target,
                  "Channel moved last (the forecast target of features S/MS)");
  cmd->add_option("--missing", args->missing, "Missing values: error, ffill or interpolate")
      ->check(CLI::IsMember({"error", "ffill", "interpolate"}))
      ->capture_default_str();
  cmd->add_option("--delimiter", args->delimiter, "Field separator (one character)")
      ->capture_default_str();
  cmd->add_option("--source", args->options.source,
                  "Where the data come from (stored as the source attribute)");
  cmd->add_option("--split-borders", args->options.split_borders,
                  "train_end,valid_end,test_end rows stored for data.split = \"file\"")
      ->delimiter(',');
  cmd->add_option("--log-level", args->log_level, "Logging level")
      ->check(CLI::IsMember(log_level_names()))
      ->capture_default_str();
  commands.push_back(
      {cmd, [args](RunContext& ctx) {
         init_logging(ctx.world.rank(), args->log_level, "");
         if (args->delimiter.size() != 1)
           throw InputError("--delimiter: expected one character, found '" + args->delimiter + "'");
         args->options.delimiter = args->delimiter[0];
         args->options.missing = data::parse_missing_policy(args->missing);
         const data::Series s = data::import_csv(args->input, args->options);
         if (ctx.world.is_root())
           data::write_series(args->output, s, "portaformer " + version_line());
         spdlog::info("{}: {} rows × {} channels ({}), time unit '{}', written to {}", args->input,
                      s.rows, s.channel_count(), fmt::format("{}", fmt::join(s.channels, ", ")),
                      s.time_unit, args->output);
         return kExitOk;
       }});
}

}  // namespace pf::app
