// Building a structure dataset from users' files: what `portaformer import-structures` does.
#pragma once

#include "crystal/read_options.hpp"
#include "crystal/structure_dataset.hpp"
#include "crystal/symmetry.hpp"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace pf::crystal {

struct ImportOptions {
  ReadOptions read;
  bool stop_on_error = true;  // false: skip a failing file, report it, go on
  bool primitive = false;     // reduce every structure to its spglib primitive cell
  double symprec = kDefaultSymprec;
  std::string targets_csv;                   // optional: id,target… (crystal/target_table.hpp)
  std::map<std::string, std::string> units;  // target name → units
  bool recursive = false;                    // descend into sub-folders of folder inputs
};

struct ImportFailure {
  std::string path;
  std::string reason;  // the reader's "file:line: problem", or a missing target row
};

struct StructureSource {
  std::string path;  // the file to read
  std::string id;    // its id: the path relative to the folder it was found in, or its name
};

struct ImportResult {
  StructureDataset dataset;
  std::vector<ImportFailure> failures;  // empty when stop_on_error (the first one throws)
  std::size_t files_read = 0;
  std::vector<std::string> unused_target_ids;  // CSV rows that matched no structure
};

// Files named by `inputs`: files as given; folders listed (recursively if asked) for structure
// files by name (*.cif, *.vasp, *.poscar, *.xyz, *.extxyz, *.json, POSCAR*, CONTCAR*), sorted
// so the dataset order does not depend on the file system. InputError for a missing input.
std::vector<StructureSource> list_structure_files(const std::vector<std::string>& inputs,
                                                  bool recursive);

// Reads every source in order. A file fails when it cannot be read, when a structure in it has
// no row in the targets CSV (if one is given), or when its id repeats an earlier one; with
// stop_on_error the first failure throws InputError naming the file, else it is recorded and
// the file skipped. InputError when no structure at all was read. `on_file(done, total)` is
// called after each file, for progress.
ImportResult import_structures(const std::vector<StructureSource>& sources,
                               const ImportOptions& options,
                               const std::function<void(std::size_t, std::size_t)>& on_file = {});

}  // namespace pf::crystal
