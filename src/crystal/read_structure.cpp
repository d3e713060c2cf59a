#include "crystal/read_structure.hpp"

#include "crystal/detail/source_text.hpp"
#include "crystal/read_cif.hpp"
#include "crystal/read_json.hpp"
#include "crystal/read_poscar.hpp"
#include "crystal/read_xyz.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <sstream>

namespace pf::crystal {

StructureFormat detect_format(const std::string& path, const std::string& text) {
  const std::filesystem::path p(path);
  const std::string ext = detail::lower(p.extension().string());
  const std::string name = p.filename().string();
  if (ext == ".cif") return StructureFormat::Cif;
  if (ext == ".xyz" || ext == ".extxyz") return StructureFormat::Xyz;
  if (ext == ".json") return StructureFormat::Json;
  if (ext == ".vasp" || ext == ".poscar" || name.rfind("POSCAR", 0) == 0 ||
      name.rfind("CONTCAR", 0) == 0) {
    return StructureFormat::Poscar;
  }
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const auto t = detail::trim(line);
    if (t.empty() || t[0] == '#') continue;
    if (detail::lower(t.substr(0, 5)) == "data_") return StructureFormat::Cif;
    if (t[0] == '{' || t[0] == '[') return StructureFormat::Json;
    const auto fields = detail::split_whitespace(t);
    if (fields.size() == 1 && fields[0].find_first_not_of("0123456789") == std::string::npos) {
      return StructureFormat::Xyz;
    }
    break;
  }
  return StructureFormat::Poscar;
}

std::vector<Structure> read_structures(const std::string& path, const ReadOptions& options) {
  const std::string text = detail::read_text_file(path);
  switch (detect_format(path, text)) {
    case StructureFormat::Cif:
      return parse_cif(text, path, options);
    case StructureFormat::Xyz:
      return parse_xyz(text, path, options);
    case StructureFormat::Json:
      return parse_json(text, path, options);
    case StructureFormat::Poscar:
      break;
  }
  return {parse_poscar(text, path, options)};
}

Structure read_structure(const std::string& path, const ReadOptions& options) {
  auto all = read_structures(path, options);
  if (all.size() != 1) {
    detail::fail(path, 0, fmt::format("holds {} structures where one was expected", all.size()));
  }
  return std::move(all.front());
}

}  // namespace pf::crystal
