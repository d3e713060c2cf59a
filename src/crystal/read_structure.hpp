// One entry point for every structure format: picked by file name, else by content.
#pragma once

#include "crystal/read_options.hpp"
#include "crystal/structure.hpp"

#include <string>
#include <vector>

namespace pf::crystal {

enum class StructureFormat { Cif, Poscar, Xyz, Json };

// By name: *.cif; *.xyz / *.extxyz; *.json; POSCAR*, CONTCAR*, *.vasp, *.poscar. Otherwise by
// content: "data_" first → CIF, '{' or '[' → JSON (read_json.hpp), an integer alone on the first
// line → XYZ, else POSCAR.
StructureFormat detect_format(const std::string& path, const std::string& text);

// Every structure in the file (several for multi-block CIF, multi-frame XYZ and JSON databases).
std::vector<Structure> read_structures(const std::string& path, const ReadOptions& options = {});

// Exactly one structure; InputError when the file holds several.
Structure read_structure(const std::string& path, const ReadOptions& options = {});

}  // namespace pf::crystal
