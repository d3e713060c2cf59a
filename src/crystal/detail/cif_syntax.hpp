// CIF 1.1 syntax as far as structure files use it: data blocks of tag-value items and loops.
// Tags are lower-cased (CIF tags are case-insensitive); values keep their text and source line.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace pf::crystal::detail {

struct CifValue {
  std::string text;
  int line = 0;
  bool null = false;  // an unquoted '?' (unknown) or '.' (inapplicable)
};

struct CifLoop {
  int line = 0;                   // line of `loop_`
  std::vector<std::string> tags;  // lower-cased
  std::vector<std::vector<CifValue>> rows;
  int column(const std::string& tag) const;  // -1 when absent
};

struct CifBlock {
  std::string name;  // after `data_`
  int line = 0;
  std::map<std::string, CifValue> items;  // lower-cased tag → value
  std::vector<CifLoop> loops;
  // The loop that holds `tag`, or nullptr.
  const CifLoop* loop_with(const std::string& tag) const;
};

// Reads the file's data blocks. Quoted values ('…' or "…", closed by a quote followed by
// whitespace), `;` text fields, `#` comments and `?`/`.` nulls are handled. A loop whose value
// count is not a multiple of its tag count, a tag without a value, an unterminated text field
// and save frames are errors ("file:line: problem").
std::vector<CifBlock> parse_cif_blocks(const std::string& text, const std::string& file);

}  // namespace pf::crystal::detail
