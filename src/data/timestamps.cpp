#include "data/timestamps.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace pf::data {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date, counting in 400-year eras (146097 days)
// so the arithmetic stays exact for any year.
long long days_from_civil(long long y, int m, int d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const long long yoe = y - era * 400;                                   // [0, 399]
  const long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;  // [0, 365], from March
  const long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           // [0, 146096]
  return era * 146097 + doe - 719468;
}

void civil_from_days(long long z, long long& y, int& m, int& d) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const long long doe = z - era * 146097;
  const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long long mp = (5 * doy + 2) / 153;
  d = int(doy - (153 * mp + 2) / 5 + 1);
  m = int(mp < 10 ? mp + 3 : mp - 9);
  y = yoe + era * 400 + (m <= 2);
}

bool leap(long long y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(long long y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

// Reads exactly `n` digits at text[pos]; advances pos.
bool digits(const std::string& text, size_t& pos, int n, long long& value) {
  if (pos + size_t(n) > text.size()) return false;
  value = 0;
  for (int i = 0; i < n; ++i, ++pos) {
    const char c = text[pos];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  return true;
}

}  // namespace

std::optional<double> parse_timestamp(const std::string& text) {
  size_t pos = 0;
  long long year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  double fraction = 0;
  if (!digits(text, pos, 4, year)) return std::nullopt;
  char sep = 0;
  if (text.size() == 8) {  // YYYYMMDD
    if (!digits(text, pos, 2, month) || !digits(text, pos, 2, day)) return std::nullopt;
  } else if (pos < text.size()) {
    sep = text[pos];
    if (sep != '-' && sep != '/') return std::nullopt;
    ++pos;
    if (!digits(text, pos, 2, month)) return std::nullopt;
    if (pos < text.size()) {
      if (text[pos] != sep) return std::nullopt;
      ++pos;
      if (!digits(text, pos, 2, day)) return std::nullopt;
      if (pos < text.size()) {
        if (text[pos] != ' ' && text[pos] != 'T') return std::nullopt;
        ++pos;
        if (!digits(text, pos, 2, hour) || pos >= text.size() || text[pos] != ':')
          return std::nullopt;
        ++pos;
        if (!digits(text, pos, 2, minute)) return std::nullopt;
        if (pos < text.size()) {
          if (text[pos] != ':') return std::nullopt;
          ++pos;
          if (!digits(text, pos, 2, second)) return std::nullopt;
          if (pos < text.size()) {
            if (text[pos] != '.') return std::nullopt;
            const std::string frac = "0" + text.substr(pos);
            char* end = nullptr;
            fraction = std::strtod(frac.c_str(), &end);
            if (end != frac.c_str() + frac.size() || frac.size() < 3) return std::nullopt;
          }
        }
      }
    }
  }
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, int(month)) || hour > 23 ||
      minute > 59 || second > 60)
    return std::nullopt;
  const long long days = days_from_civil(year, int(month), int(day));
  return double(days) * 86400.0 + double(hour * 3600 + minute * 60 + second) + fraction;
}

bool looks_like_date(const std::string& text) {
  return parse_timestamp(text).has_value() &&
         (text.size() == 8 || text.find_first_of("-/") != std::string::npos);
}

std::string format_timestamp(double seconds, bool date_only) {
  const long long total = std::llround(seconds);
  long long days = total / 86400, rest = total % 86400;
  if (rest < 0) rest += 86400, --days;
  long long y;
  int m, d;
  civil_from_days(days, y, m, d);
  char buf[64];
  if (date_only)
    std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d", y, m, d);
  else
    std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d %02lld:%02lld:%02lld", y, m, d, rest / 3600,
                  rest / 60 % 60, rest % 60);
  return buf;
}

}  // namespace pf::data
