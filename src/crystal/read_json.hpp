// JSON structure files of every kind the big databases export, recognised by their keys:
//   - ASE database exports {"<id>": {cell, numbers, positions, …}, "ids": […]} (read_ase_json.hpp);
//   - JARVIS `Atoms.to_dict()` {lattice_mat (rows a, b, c), coords, elements, cartesian}, alone or
//     as records [{"jid": …, "atoms": {…}, "<target>": value, …}] as in JARVIS dft_3d;
//   - pymatgen `Structure.as_dict()` {lattice: {matrix}, sites: [{species: [{element, occu}],
//     abc}]}, alone or as records [{"material_id": …, "structure": {…}, "<target>": …}] as
//     Materials Project exports.
// Record ids come from jid, material_id, mpid, task_id or id (else the record's index); a
// record's numeric top-level fields become properties, anything else ("na", lists) is skipped.
// Disordered pymatgen sites (several species or occu < 1) follow ReadOptions::occupancy.
#pragma once

#include "crystal/read_options.hpp"
#include "crystal/structure.hpp"

#include <string>
#include <vector>

namespace pf::crystal {

// Ids: "<file name>" for a lone structure, "<file name>:<record id>" otherwise.
std::vector<Structure> read_json(const std::string& path, const ReadOptions& options = {});
std::vector<Structure> parse_json(const std::string& text, const std::string& source,
                                  const ReadOptions& options = {});

}  // namespace pf::crystal
