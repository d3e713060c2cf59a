// Calendar timestamps of measured series as seconds since 1970-01-01T00:00:00 (no time zone:
// CSV dates are taken as written, like pandas' naive datetimes in the reference loaders).
#pragma once

#include <optional>
#include <string>

namespace pf::data {

inline constexpr const char* kEpochSecondsUnit = "s since 1970-01-01T00:00:00";

// "YYYY", "YYYYMMDD", "YYYY-MM", "YYYY-MM-DD", then optionally "[ T]HH:MM[:SS[.fff]]", or
// "YYYY/MM/DD..." → seconds; nullopt for anything else (including impossible dates such as
// 2021-02-30).
std::optional<double> parse_timestamp(const std::string& text);

// True for the forms that are unambiguously dates (with a separator, or eight digits): a
// column of bare four-digit years or other numbers is read as numbers instead.
bool looks_like_date(const std::string& text);

// Seconds → "YYYY-MM-DD HH:MM:SS" (the ETT files' format); the clock part is left out when
// `date_only`. Fractions of a second are rounded to whole seconds.
std::string format_timestamp(double seconds, bool date_only);

}  // namespace pf::data
