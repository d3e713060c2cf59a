// import-csv: dates, quoting, the missing-value policies, and every bad input naming the line,
// the column and the value.
#include "core/error.hpp"
#include "data/csv_import.hpp"
#include "data/series.hpp"
#include "data/timestamps.hpp"
#include "scratch_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace pf::data {
namespace {

std::string write_csv(const testing::ScratchDir& dir, const std::string& text,
                      const std::string& name = "in.csv") {
  std::ofstream(dir.file(name), std::ios::binary) << text;
  return dir.file(name);
}

// The InputError message of importing `text`, or "" when it imports.
std::string import_error(const std::string& text, CsvImportOptions options = {}) {
  testing::ScratchDir dir;
  try {
    import_csv(write_csv(dir, text), options);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(TsTimestamps, ParseAndFormatRoundTrip) {
  EXPECT_EQ(*parse_timestamp("1970-01-01"), 0.0);
  EXPECT_EQ(*parse_timestamp("1970-01-02 00:00:01"), 86401.0);
  EXPECT_EQ(*parse_timestamp("2016-07-01 00:00:00"), 1467331200.0);  // `date -u -d ... +%s`
  EXPECT_EQ(*parse_timestamp("2016/07/01T01:30"), 1467331200.0 + 5400);
  EXPECT_EQ(*parse_timestamp("2000-03"), *parse_timestamp("2000-03-01"));
  EXPECT_EQ(*parse_timestamp("1958"), *parse_timestamp("1958-01-01"));
  EXPECT_EQ(*parse_timestamp("19580329"), *parse_timestamp("1958-03-29"));
  EXPECT_TRUE(looks_like_date("19580329"));
  EXPECT_FALSE(looks_like_date("1958"));  // a year column stays numeric
  EXPECT_EQ(*parse_timestamp("2024-02-29"), *parse_timestamp("2024-03-01") - 86400);
  EXPECT_EQ(*parse_timestamp("1900-01-01"), -2208988800.0);
  for (const char* bad : {"2021-02-29", "2021-13-01", "2021-1-01", "x2021", "2021-01-01 25:00",
                          "2021-01-01 10", "2021-01/01", "12.5", ""})
    EXPECT_FALSE(parse_timestamp(bad).has_value()) << bad;
  EXPECT_EQ(format_timestamp(1467331200.0 + 3600 * 23 + 59, false), "2016-07-01 23:00:59");
  EXPECT_EQ(format_timestamp(-2208988800.0, true), "1900-01-01");
}

TEST(TsCsvImport, DatesQuotesAndColumnOrder) {
  testing::ScratchDir dir;
  const std::string path = write_csv(dir,
                                     "date,\"load, kW\",OT,b\r\n"
                                     "2016-07-01 00:00:00,1.5,\"2\",3\r\n"
                                     "\r\n"
                                     "2016-07-01 01:00:00,\"-2.5e1\",4,5\r\n"
                                     "2016-07-01 02:00:00,7,8,9\r\n");
  const Series s = import_csv(path, {});
  ASSERT_EQ(s.channels, (std::vector<std::string>{"load, kW", "OT", "b"}));
  ASSERT_EQ(s.rows, 3);
  EXPECT_EQ(s.values, (std::vector<float>{1.5f, 2, 3, -25, 4, 5, 7, 8, 9}));
  EXPECT_EQ(s.time_unit, kEpochSecondsUnit);
  EXPECT_EQ(s.sampling_interval, 3600);
  EXPECT_EQ(s.time[0], 1467331200.0);

  CsvImportOptions opt;
  opt.columns = {"b", "OT"};
  opt.target = "b";
  const Series t = import_csv(path, opt);
  EXPECT_EQ(t.channels, (std::vector<std::string>{"OT", "b"}));
  EXPECT_EQ(t.values, (std::vector<float>{2, 3, 4, 5, 8, 9}));
  EXPECT_NE(t.import_settings.find("columns = [\"OT\", \"b\"]"), std::string::npos);
}

TEST(TsCsvImport, NumericTimeColumnAndNoTimeColumn) {
  testing::ScratchDir dir;
  const std::string path = write_csv(dir, "YEAR,SUNACTIVITY\n1700,5\n1701,11\n1702,16\n");
  CsvImportOptions opt;
  opt.date_column = "YEAR";
  const Series s = import_csv(path, opt);
  EXPECT_EQ(s.channels, std::vector<std::string>{"SUNACTIVITY"});
  EXPECT_EQ(s.time_unit, "YEAR");
  EXPECT_EQ(s.time, (std::vector<double>{1700, 1701, 1702}));
  EXPECT_EQ(s.sampling_interval, 1);
  // Not detected: a numeric first column is a channel unless named.
  const Series n = import_csv(path, {});
  EXPECT_EQ(n.channels, (std::vector<std::string>{"YEAR", "SUNACTIVITY"}));
  EXPECT_EQ(n.time_unit, "step");
}

TEST(TsCsvImport, MissingValuePolicies) {
  const std::string text = "t,a,b\n1,NA,1\n2,2,\n3,nan,3\n4,6,null\n";
  CsvImportOptions opt;
  opt.date_column = "t";
  EXPECT_NE(import_error(text, opt).find("line 2, column 'a': expected a number, found a missing"),
            std::string::npos)
      << import_error(text, opt);
  opt.missing = MissingPolicy::Interpolate;
  testing::ScratchDir dir;
  const Series s = import_csv(write_csv(dir, text), opt);
  // a: first value missing → nearest (2); row 3 halfway between 2 and 6. b: row 2 between 1
  // and 3; the last row repeats 3.
  EXPECT_EQ(s.values, (std::vector<float>{2, 1, 2, 2, 4, 3, 6, 3}));
  opt.missing = MissingPolicy::Ffill;
  EXPECT_NE(import_error(text, opt).find("line 2, column 'a': expected a value to carry forward"),
            std::string::npos);
  const Series f = import_csv(write_csv(dir, "t,a\n1,1\n2,\n3,3\n4,NaN\n", "f.csv"), opt);
  EXPECT_EQ(f.values, (std::vector<float>{1, 1, 3, 3}));
  EXPECT_NE(f.import_settings.find("filled_cells = 2"), std::string::npos);
}

TEST(TsCsvImport, BadInputsNameLineColumnAndValue) {
  const auto has = [](const std::string& text, const std::string& want) {
    const std::string msg = import_error(text);
    EXPECT_NE(msg.find(want), std::string::npos) << "message: " << msg << "\nwanted: " << want;
  };
  has("", "expected a header line naming the columns, found an empty file");
  has("date,a\n", "expected data rows after the header, found none");
  has("date,a,b\n2020-01-01,1,2\n2020-01-02,3\n",
      "line 3: expected 3 fields as the header has, found 2");
  has("date,a,b\n2020-01-01,1,2\n2020-01-02,3,4,5\n", "line 3: expected 3 fields");
  has("date,a,b\n2020-01-01,1,2\n2020-01-02,3,abc\n",
      "line 3, column 'b': expected a number, found 'abc'");
  has("date,a\n2020-01-01,1\n2020-01-02,1..2\n",
      "line 3, column 'a': expected a number, found '1..2'");
  has("date,a\n2020-01-01,1\n2020-01-02,\n",
      "line 3, column 'a': expected a number, found a missing");
  has("date,a\n2020-01-01,1\n2020-01-32,2\n", "line 3, column 'date': expected a date");
  has("date,a\n2020-01-02,1\n2020-01-01,2\n", "line 3, column 'date': expected a time after");
  has("date,a,a\n2020-01-01,1,2\n", "expected distinct column names, found 'a' twice");
  has("date,,a\n2020-01-01,1,2\n", "header field 2: expected a column name");
  has("date,a\n2020-01-01,\"1\n", "line 2: expected a closing quote");
  // Quoted line breaks count: the ragged record starts on line 4.
  has("date,a,b\n2020-01-01,\"x\ny\",2\n2020-01-02,1\n", "line 4: expected 3 fields");
  CsvImportOptions opt;
  opt.columns = {"nope"};
  EXPECT_NE(import_error("date,a\n2020-01-01,1\n", opt)
                .find("--columns 'nope': expected a column "
                      "of the header (date, a)"),
            std::string::npos);
}

TEST(TsCsvImport, MissingFileIsAnInputError) {
  EXPECT_THROW(import_csv("/nonexistent/x.csv", {}), InputError);
}

}  // namespace
}  // namespace pf::data
