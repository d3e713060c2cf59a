// Many structures with their targets in one HDF5 file: ragged atom arrays indexed by offsets
// (layout in docs/data-layout.md, "Crystal structures"). Written under a temporary name and
// renamed when complete, so a failed import never leaves a half-written dataset.
#pragma once

#include "crystal/structure.hpp"

#include <map>
#include <string>
#include <vector>

namespace pf::crystal {

struct StructureDataset {
  std::vector<Structure> structures;  // targets are each structure's `properties`
  // Units per target name ("eV/atom", "Å^3/atom"); a target without an entry has units "".
  std::map<std::string, std::string> units;
  // Per-atom values (e.g. formal "charge"): one per atom, structures concatenated in order.
  std::map<std::string, std::vector<double>> atom_fields;
  std::string config;    // how the data was made: a resolved deck or a command line
  std::string producer;  // "portaformer <version>"
};

// Sorted union of the structures' property names: the dataset's targets. A structure without
// one of them stores NaN there.
std::vector<std::string> target_names(const std::vector<Structure>& structures);

// InputError when the data cannot be stored as described (empty structure, mismatched arrays,
// a target or field name that is not a plain HDF5 name).
void write_structure_dataset(const std::string& path, const StructureDataset& data);

// Validates the layout (format tag, offsets monotone from 0 to the atom count, matching extents)
// and names the file and object on every error. NaN targets are left out of `properties`.
StructureDataset read_structure_dataset(const std::string& path);

}  // namespace pf::crystal
