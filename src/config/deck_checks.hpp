// Range checks the schema's types cannot express, and the one message form they throw:
// "<where>: <what>: expected <expected>, found <found>" (pf::InputError).
#pragma once

#include "config/deck.hpp"

#include <cstdint>
#include <string>

namespace pf {

[[noreturn]] void bad_value(const std::string& where, const std::string& what,
                            const std::string& expected, const std::string& found);
// bad_value unless ok.
void require_value(bool ok, const std::string& where, const std::string& what,
                   const std::string& expected, const std::string& found);

// "deck <source>: option '<key>': expected ..."
[[noreturn]] void bad_option(const Deck& deck, const std::string& key, const std::string& expected,
                             const std::string& found);
// bad_option "at least <min>" unless the Int option `key` is at least min.
void require_at_least(const Deck& deck, const std::string& key, std::int64_t min);

// "deck <source>: <key>: expected ...", the simulators' decks' form.
[[noreturn]] void bad_setting(const Deck& deck, const std::string& key, const std::string& expected,
                              const std::string& found);

// v as an ostream prints it by default (6 significant digits), for "found" texts.
std::string stream_text(double v);

}  // namespace pf
