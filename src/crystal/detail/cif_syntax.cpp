#include "crystal/detail/cif_syntax.hpp"

#include "crystal/detail/source_text.hpp"

#include <fmt/format.h>

#include <cctype>
#include <sstream>

namespace pf::crystal::detail {
namespace {

enum class Kind { Tag, Value, Loop, Data, Save, Other };

struct Token {
  Kind kind;
  std::string text;
  int line;
  bool null;
};

bool starts_with_ci(const std::string& s, const char* prefix) {
  const std::string p(prefix);
  return s.size() >= p.size() && lower(s.substr(0, p.size())) == p;
}

Token classify(std::string text, int line) {
  if (text[0] == '_') return {Kind::Tag, lower(text), line, false};
  if (lower(text) == "loop_") return {Kind::Loop, text, line, false};
  if (starts_with_ci(text, "data_")) return {Kind::Data, text.substr(5), line, false};
  if (starts_with_ci(text, "save_")) return {Kind::Save, text, line, false};
  if (lower(text) == "global_" || lower(text) == "stop_") return {Kind::Other, text, line, false};
  const bool null = text == "?" || text == ".";
  return {Kind::Value, std::move(text), line, null};
}

std::vector<Token> tokenize(const std::string& text, const std::string& file) {
  std::vector<Token> tokens;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line[0] == ';') {
      // A text field runs to the next line that starts with ';'.
      const int start = number;
      std::string value = line.substr(1);
      bool closed = false;
      while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty() && line[0] == ';') {
          closed = true;
          break;
        }
        value += "\n" + line;
      }
      if (!closed) fail(file, start, "text field opened with ';' is never closed");
      tokens.push_back({Kind::Value, std::string(trim(value)), start, false});
      continue;
    }
    std::size_t i = 0;
    while (i < line.size()) {
      const char c = line[i];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
      } else if (c == '#') {
        break;
      } else if (c == '\'' || c == '"') {
        // The closing quote is one followed by whitespace or the end of the line, so "O'Neil"
        // style apostrophes inside a value survive.
        std::size_t j = i + 1;
        while (j < line.size() &&
               !(line[j] == c &&
                 (j + 1 == line.size() || std::isspace(static_cast<unsigned char>(line[j + 1]))))) {
          ++j;
        }
        if (j >= line.size()) fail(file, number, std::string("unterminated quoted value ") + c);
        tokens.push_back({Kind::Value, line.substr(i + 1, j - i - 1), number, false});
        i = j + 1;
      } else {
        std::size_t j = i;
        while (j < line.size() && !std::isspace(static_cast<unsigned char>(line[j])))
          ++j;
        tokens.push_back(classify(line.substr(i, j - i), number));
        i = j;
      }
    }
  }
  return tokens;
}

}  // namespace

int CifLoop::column(const std::string& tag) const {
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (tags[i] == tag) return static_cast<int>(i);
  }
  return -1;
}

const CifLoop* CifBlock::loop_with(const std::string& tag) const {
  for (const auto& loop : loops) {
    if (loop.column(tag) >= 0) return &loop;
  }
  return nullptr;
}

std::vector<CifBlock> parse_cif_blocks(const std::string& text, const std::string& file) {
  const auto tokens = tokenize(text, file);
  std::vector<CifBlock> blocks;
  std::size_t i = 0;
  const auto current = [&](const Token& t) -> CifBlock& {
    if (blocks.empty()) fail(file, t.line, "'" + t.text + "' before the first data_ block");
    return blocks.back();
  };
  while (i < tokens.size()) {
    const Token& t = tokens[i];
    switch (t.kind) {
      case Kind::Data:
        blocks.push_back({t.text, t.line, {}, {}});
        ++i;
        break;
      case Kind::Tag: {
        CifBlock& block = current(t);
        if (i + 1 >= tokens.size() || tokens[i + 1].kind != Kind::Value) {
          fail(file, t.line, "tag " + t.text + " has no value");
        }
        const Token& v = tokens[i + 1];
        block.items[t.text] = {v.text, v.line, v.null};
        i += 2;
        break;
      }
      case Kind::Loop: {
        CifBlock& block = current(t);
        CifLoop loop;
        loop.line = t.line;
        ++i;
        while (i < tokens.size() && tokens[i].kind == Kind::Tag)
          loop.tags.push_back(tokens[i++].text);
        if (loop.tags.empty()) fail(file, t.line, "loop_ without tags");
        std::vector<CifValue> values;
        while (i < tokens.size() && tokens[i].kind == Kind::Value) {
          values.push_back({tokens[i].text, tokens[i].line, tokens[i].null});
          ++i;
        }
        if (values.size() % loop.tags.size() != 0) {
          fail(file, t.line,
               fmt::format("loop_ with {} tags ({}…) holds {} values, not a multiple of {}: "
                           "a row is truncated or has extra values",
                           loop.tags.size(), loop.tags[0], values.size(), loop.tags.size()));
        }
        for (std::size_t r = 0; r < values.size(); r += loop.tags.size()) {
          loop.rows.emplace_back(
              values.begin() + static_cast<std::ptrdiff_t>(r),
              values.begin() + static_cast<std::ptrdiff_t>(r + loop.tags.size()));
        }
        block.loops.push_back(std::move(loop));
        break;
      }
      case Kind::Save:
        fail(file, t.line, "save frames are not supported in structure files");
      case Kind::Other:
        ++i;
        break;
      case Kind::Value:
        fail(file, t.line, "value '" + t.text + "' without a tag");
    }
  }
  return blocks;
}

}  // namespace pf::crystal::detail
