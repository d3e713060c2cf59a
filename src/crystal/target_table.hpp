// Per-structure targets from a CSV file: the first column is the structure id, the others are
// numbers. A header row ("id,formation_energy,band_gap") names the targets; without one (as
// CGCNN's id_prop.csv), a single target is named "target" and several "target0", "target1", ….
#pragma once

#include <map>
#include <string>
#include <vector>

namespace pf::crystal {

struct TargetTable {
  std::vector<std::string> names;
  std::map<std::string, std::map<std::string, double>> rows;  // id → name → value
  std::map<std::string, int> lines;                           // id → line, for messages
};

// Empty cells are missing values (left out of the row). Errors name file and line: a
// non-numeric value, a row with the wrong number of columns, a repeated id.
TargetTable read_target_table(const std::string& path);

// The table's id for a structure id: the id itself, else the id without its file extension
// ("mp-1.cif" → "mp-1", "run.xyz:3" → "run:3"). Empty when neither is in the table.
std::string find_row(const TargetTable& table, const std::string& id);

}  // namespace pf::crystal
