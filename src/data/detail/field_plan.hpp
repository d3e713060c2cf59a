// How a FieldReader finds its channels in a file: one source per selected field, each a dataset
// (or one per trajectory for PDEBench's group layout) contributing `components` channels.
// Built by the per-layout planners; not part of the public API.
#pragma once

#include "data/field_reader.hpp"

#include <string>
#include <vector>

namespace pf::h5 {
class File;
}

namespace pf::data::detail {

struct FieldSource {
  std::string field;  // the field's name as the file calls it
  // One dataset, or one per trajectory (PDEBench groups) holding [T, S..., components].
  std::vector<std::string> paths;
  bool trajectory_axis = true;  // false: per-trajectory paths, or one field shared by all
  bool time_axis = true;        // false: one frame for every step (The Well's time_varying false)
  Shape component_shape;        // trailing axes: {} scalar, {D} vector, {D, D} tensor, {C}
  Index components = 1;         // product of component_shape
  Index channel_offset = 0;     // first channel of this source in the output

  const std::string& path(Index traj) const {
    return paths.size() == 1 ? paths.front() : paths[static_cast<size_t>(traj)];
  }
};

struct FieldPlan {
  FieldFileInfo info;
  std::vector<FieldSource> sources;
};

// Per-layout planners; `file` is open for reading, `fields` as given to inspect_fields.
FieldPlan plan_well(const h5::File& file, const std::vector<std::string>& fields);
FieldPlan plan_pdebench_flat(const h5::File& file, const std::vector<std::string>& fields);
FieldPlan plan_pdebench_incomp_ns(const h5::File& file, const std::vector<std::string>& fields);
FieldPlan plan_pdebench_groups(const h5::File& file, const std::vector<std::string>& fields);

FieldPlan plan_fields(const std::string& path, const std::vector<std::string>& fields);

// Shared checks for planners: each throws pf::InputError naming file, path, expected, found.
[[noreturn]] void fail(const std::string& file, const std::string& object,
                       const std::string& expected, const std::string& found);
// Refuses datasets whose elements are not floating point (integers, strings, compounds).
void require_float_dataset(const h5::File& file, const std::string& path);
// The names of `available` picked by `wanted` (all of them when `wanted` is empty), in the order
// of `wanted`; an unknown or repeated name throws, listing the available ones.
std::vector<std::string> select_fields(const std::string& file, const std::string& object,
                                       const std::vector<std::string>& available,
                                       const std::vector<std::string>& wanted);
std::string join(const std::vector<std::string>& names);
// Reads a 1-D coordinate dataset as doubles and checks it has `length` entries; with
// `allow_endpoint`, `length + 1` entries are accepted too and the last one dropped (PDEBench's
// t-coordinate holds the end time as well).
std::vector<double> read_axis(const h5::File& file, const std::string& path, Index length,
                              bool allow_endpoint = false);
// Uniform cell centres on [0, 1) for layouts that store no coordinates.
std::vector<double> unit_cell_centres(Index n);
std::string config_attr(const h5::File& file);

}  // namespace pf::data::detail
