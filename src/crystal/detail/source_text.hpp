// Helpers the text readers share: numbers parsed strictly, errors prefixed "file:line: ".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pf::crystal::detail {

// "file:line: " (line 0 leaves the line out).
std::string where(const std::string& file, int line);

// Throws InputError "file:line: problem".
[[noreturn]] void fail(const std::string& file, int line, const std::string& problem);

// A whole token as a double ("1.5", "-2e-3"); `what` names the field in the error.
double parse_number(std::string_view token, const std::string& file, int line,
                    const std::string& what);
// The same, with a trailing standard uncertainty "1.234(5)" stripped (CIF).
double parse_number_su(std::string_view token, const std::string& file, int line,
                       const std::string& what);
bool try_parse_number(std::string_view token, double& value);
int parse_int(std::string_view token, const std::string& file, int line, const std::string& what);

std::vector<std::string> split_whitespace(std::string_view line);
std::string_view trim(std::string_view s);
std::string lower(std::string_view s);

// The element symbol at the start of a label such as "Fe1", "O2-", "La3+", "Fe_pv": an upper-case
// letter and, when that makes a known element, the lower-case letter after it. Empty if none.
std::string leading_element(std::string_view label);

}  // namespace pf::crystal::detail

namespace pf::crystal::detail {

// The whole file; InputError "file: cannot be read" when it is missing or unreadable.
std::string read_text_file(const std::string& path);

}  // namespace pf::crystal::detail
