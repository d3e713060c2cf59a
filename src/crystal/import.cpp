#include "crystal/import.hpp"

#include "core/error.hpp"
#include "crystal/detail/source_text.hpp"
#include "crystal/read_structure.hpp"
#include "crystal/target_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

namespace pf::crystal {
namespace {

namespace fs = std::filesystem;

bool is_structure_file(const fs::path& p) {
  const std::string ext = detail::lower(p.extension().string());
  const std::string name = p.filename().string();
  return ext == ".cif" || ext == ".vasp" || ext == ".poscar" || ext == ".xyz" || ext == ".extxyz" ||
         ext == ".json" || name.rfind("POSCAR", 0) == 0 || name.rfind("CONTCAR", 0) == 0;
}

// The reader names structures after the file ("NaCl.cif", "run.xyz:3"); the dataset names them
// after `id`, which keeps files of equal name in different folders apart.
std::string dataset_id(const std::string& reader_id, const std::string& path,
                       const std::string& id) {
  const std::string name = fs::path(path).filename().string();
  if (reader_id.rfind(name, 0) == 0) return id + reader_id.substr(name.size());
  return id + ":" + reader_id;
}

}  // namespace

std::vector<StructureSource> list_structure_files(const std::vector<std::string>& inputs,
                                                  bool recursive) {
  std::vector<StructureSource> out;
  for (const auto& input : inputs) {
    const fs::path root(input);
    std::error_code ec;
    if (fs::is_regular_file(root, ec)) {
      out.push_back({input, root.filename().string()});
      continue;
    }
    if (!fs::is_directory(root, ec)) {
      throw InputError(input + ": expected a structure file or a folder, found nothing there");
    }
    std::vector<StructureSource> found;
    const auto add = [&](const fs::directory_entry& entry) {
      if (entry.is_regular_file() && is_structure_file(entry.path())) {
        found.push_back({entry.path().string(), fs::relative(entry.path(), root).generic_string()});
      }
    };
    if (recursive) {
      for (const auto& entry : fs::recursive_directory_iterator(root))
        add(entry);
    } else {
      for (const auto& entry : fs::directory_iterator(root))
        add(entry);
    }
    std::sort(found.begin(), found.end(),
              [](const StructureSource& a, const StructureSource& b) { return a.id < b.id; });
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

ImportResult import_structures(const std::vector<StructureSource>& sources,
                               const ImportOptions& options,
                               const std::function<void(std::size_t, std::size_t)>& on_file) {
  TargetTable table;
  const bool with_table = !options.targets_csv.empty();
  if (with_table) table = read_target_table(options.targets_csv);
  std::set<std::string> used_rows;
  std::map<std::string, std::string> seen_ids;  // id → file it came from

  ImportResult result;
  result.dataset.units = options.units;
  for (std::size_t k = 0; k < sources.size(); ++k) {
    const auto& source = sources[k];
    std::vector<std::string> rows_used_here;
    try {
      auto structures = read_structures(source.path, options.read);
      for (auto& s : structures) {
        s.id = dataset_id(s.id, source.path, source.id);
        if (const auto it = seen_ids.find(s.id); it != seen_ids.end()) {
          throw InputError(source.path + ": structure id '" + s.id + "' repeats one from " +
                           it->second);
        }
        if (with_table) {
          const std::string row = find_row(table, s.id);
          if (row.empty()) {
            throw InputError(source.path + ": structure '" + s.id + "' has no row in " +
                             options.targets_csv);
          }
          // The CSV's values win over same-named properties read from the file.
          for (const auto& [name, value] : table.rows.at(row))
            s.properties[name] = value;
          rows_used_here.push_back(row);
        }
        if (options.primitive) s = primitive_cell(s, options.symprec);
      }
      for (auto& s : structures) {
        seen_ids[s.id] = source.path;
        result.dataset.structures.push_back(std::move(s));
      }
      used_rows.insert(rows_used_here.begin(), rows_used_here.end());
      ++result.files_read;
    } catch (const InputError& e) {
      if (options.stop_on_error) throw;
      result.failures.push_back({source.path, e.what()});
    }
    if (on_file) on_file(k + 1, sources.size());
  }
  if (result.dataset.structures.empty()) {
    throw InputError(fmt::format("no structure could be read from {} file(s){}", sources.size(),
                                 result.failures.empty()
                                     ? std::string()
                                     : "; first failure: " + result.failures.front().reason));
  }
  if (with_table) {
    for (const auto& [id, row] : table.rows) {
      if (!used_rows.count(id)) result.unused_target_ids.push_back(id);
    }
  }
  return result;
}

}  // namespace pf::crystal
