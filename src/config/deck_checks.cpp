#include "config/deck_checks.hpp"

#include "core/error.hpp"

#include <sstream>

namespace pf {

void bad_value(const std::string& where, const std::string& what, const std::string& expected,
               const std::string& found) {
  throw InputError(where + ": " + what + ": expected " + expected + ", found " + found);
}

void require_value(bool ok, const std::string& where, const std::string& what,
                   const std::string& expected, const std::string& found) {
  if (!ok) bad_value(where, what, expected, found);
}

void bad_option(const Deck& deck, const std::string& key, const std::string& expected,
                const std::string& found) {
  bad_value("deck " + deck.source(), "option '" + key + "'", expected, found);
}

void require_at_least(const Deck& deck, const std::string& key, std::int64_t min) {
  if (deck.get_int(key) < min)
    bad_option(deck, key, "at least " + std::to_string(min), std::to_string(deck.get_int(key)));
}

void bad_setting(const Deck& deck, const std::string& key, const std::string& expected,
                 const std::string& found) {
  bad_value("deck " + deck.source(), key, expected, found);
}

std::string stream_text(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace pf
