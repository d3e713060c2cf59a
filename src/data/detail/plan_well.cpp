// The Well's layout (PolymathicAI/the_well, docs/data_format.md): fields under t0_fields/
// (scalars), t1_fields/ (vectors, trailing [D]) and t2_fields/ (tensors, trailing [D, D]), each
// [n_traj, n_steps, X, Y(, Z)(...)]; coordinates and time under dimensions/; boundary
// conditions per group under boundary_conditions/.
#include "core/error.hpp"
#include "data/detail/field_plan.hpp"
#include "io/hdf5.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace pf::data::detail {

namespace {

struct Candidate {
  std::string name, path;
  int tensor_order;  // 0 scalar, 1 vector, 2 tensor
};

std::vector<Candidate> well_fields(const h5::File& file) {
  std::vector<Candidate> out;
  for (int order = 0; order <= 2; ++order) {
    const std::string group = "/t" + std::to_string(order) + "_fields";
    if (!file.exists(group)) continue;
    std::vector<std::string> names;
    if (file.has_attr(group, "field_names")) {
      names = file.string_array_attr(group, "field_names");
    } else {  // older files omit the attribute: every dataset of the group is a field
      for (const auto& path : file.list_datasets(group))
        names.push_back(path.substr(group.size() + 1));
    }
    for (const auto& name : names)
      out.push_back({name, group + "/" + name, order});
  }
  return out;
}

bool flag(const h5::File& file, const std::string& object, const std::string& name) {
  return !file.has_attr(object, name) || file.bool_attr(object, name);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::vector<std::string> component_names(const std::string& field, int order,
                                         const std::vector<std::string>& dims) {
  if (order == 0) return {field};
  std::vector<std::string> out;
  for (const auto& a : dims) {
    if (order == 1) {
      out.push_back(field + "_" + a);
    } else {
      for (const auto& b : dims)
        out.push_back(field + "_" + a + b);
    }
  }
  return out;
}

// Per spatial axis: the bc_type of the first boundary-condition group (sorted by name) that
// names the axis in associated_dims; "unknown" when none does.
std::vector<std::string> well_bcs(const h5::File& file, const std::vector<std::string>& dims) {
  std::vector<std::string> bc(dims.size(), "unknown");
  const std::string root = "/boundary_conditions";
  if (!file.exists(root)) return bc;
  std::set<std::string> groups;  // pf::h5 lists datasets; each group holds mask and values
  for (const auto& path : file.list_datasets(root)) {
    groups.insert(path.substr(0, path.rfind('/')));
  }
  std::vector<bool> seen(dims.size(), false);
  for (const auto& group : groups) {
    if (!file.has_attr(group, "bc_type") || !file.has_attr(group, "associated_dims")) continue;
    const std::string type = lower(file.string_attr(group, "bc_type"));
    for (const auto& dim : file.string_array_attr(group, "associated_dims")) {
      const auto it = std::find(dims.begin(), dims.end(), dim);
      if (it == dims.end()) continue;
      const size_t axis = size_t(it - dims.begin());
      if (!seen[axis]) bc[axis] = type;
      seen[axis] = true;
    }
  }
  return bc;
}

}  // namespace

FieldPlan plan_well(const h5::File& file, const std::vector<std::string>& fields) {
  const std::string& f = file.path();
  FieldPlan plan;
  FieldFileInfo& info = plan.info;
  info.path = f;
  info.layout = FieldLayout::Well;
  info.dataset_name =
      file.has_attr("/", "dataset_name") ? file.string_attr("/", "dataset_name") : "";
  info.config = config_attr(file);

  if (!file.exists("/dimensions") || !file.has_attr("/dimensions", "spatial_dims")) {
    fail(f, "/dimensions", "a group with attribute spatial_dims (The Well's layout)", "none");
  }
  const auto dims = file.string_array_attr("/dimensions", "spatial_dims");
  const Index nd = static_cast<Index>(dims.size());
  if (nd < 2 || nd > 3) {
    fail(f, "/dimensions@spatial_dims", "2 or 3 spatial dimensions", join(dims));
  }
  if (file.has_attr("/", "n_spatial_dims") && file.int_attr("/", "n_spatial_dims") != nd) {
    fail(f, "/@n_spatial_dims", std::to_string(nd) + " (the length of spatial_dims)",
         std::to_string(file.int_attr("/", "n_spatial_dims")));
  }

  const auto candidates = well_fields(file);
  std::vector<std::string> available;
  for (const auto& c : candidates)
    available.push_back(c.name);
  const auto picked = select_fields(f, "/t*_fields@field_names", available, fields);

  // Trajectory count, step count and grid, each with the dataset that fixed it (for messages).
  // A field constant over trajectories or time has no such axis and fixes nothing there.
  struct Fixed {
    Shape value;
    std::string path;
  } n_traj, n_steps, grid;
  auto agree = [&](Fixed& fixed, const Shape& value, const std::string& path, const char* what,
                   const Shape& shape) {
    if (fixed.path.empty()) {
      fixed = {value, path};
    } else if (value != fixed.value) {
      fail(f, path, std::string(what) + " " + to_string(fixed.value) + " as in " + fixed.path,
           to_string(value) + " (shape " + to_string(shape) + ")");
    }
  };
  for (const auto& name : picked) {
    const auto& c = *std::find_if(candidates.begin(), candidates.end(),
                                  [&](const Candidate& x) { return x.name == name; });
    if (!file.exists(c.path))
      fail(f, c.path, "the field's dataset (listed in field_names)", "none");
    if (file.has_attr(c.path, "dim_varying")) {
      for (bool varies : file.bool_array_attr(c.path, "dim_varying")) {
        if (!varies) {
          fail(f, c.path + "@dim_varying", "a field varying along every spatial axis",
               "an axis it is constant along");
        }
      }
    }
    const bool per_traj = flag(file, c.path, "sample_varying");
    const bool per_step = flag(file, c.path, "time_varying");
    require_float_dataset(file, c.path);
    const Shape shape = file.dataset_shape(c.path);
    const size_t lead = size_t(per_traj) + size_t(per_step);
    const size_t rank = lead + size_t(nd + c.tensor_order);
    std::string expected = "rank " + std::to_string(rank) + " [" + (per_traj ? "n_traj, " : "") +
                           (per_step ? "n_steps, " : "") + join(dims).substr(1);
    expected += c.tensor_order == 0 ? "" : c.tensor_order == 1 ? " + [D]" : " + [D, D]";
    if (shape.size() != rank) fail(f, c.path, expected, "shape " + to_string(shape));
    for (size_t axis = lead + size_t(nd); axis < rank; ++axis) {
      if (shape[axis] != nd)
        fail(f, c.path, expected + " with D = " + std::to_string(nd), "shape " + to_string(shape));
    }
    if (per_traj) agree(n_traj, {shape[0]}, c.path, "trajectories", shape);
    if (per_step) agree(n_steps, {shape[lead - 1]}, c.path, "steps", shape);
    agree(grid, Shape(shape.begin() + long(lead), shape.begin() + long(lead) + nd), c.path, "grid",
          shape);

    FieldSource source;
    source.field = name;
    source.paths = {c.path};
    source.trajectory_axis = per_traj;
    source.time_axis = per_step;
    source.component_shape = Shape(size_t(c.tensor_order), nd);
    source.components = c.tensor_order == 0 ? 1 : c.tensor_order == 1 ? nd : nd * nd;
    source.channel_offset = info.n_channels();
    for (auto& channel : component_names(name, c.tensor_order, dims))
      info.channels.push_back(channel);
    plan.sources.push_back(source);
    info.field_paths.push_back(c.path);
  }

  const bool has_count = file.has_attr("/", "n_trajectories");
  const Index attr_traj = has_count ? file.int_attr("/", "n_trajectories") : -1;
  if (n_traj.path.empty() && !has_count) {
    fail(f, "/@n_trajectories", "the trajectory count (every selected field is sample-constant)",
         "none");
  }
  info.n_traj = n_traj.path.empty() ? attr_traj : n_traj.value[0];
  if (has_count && attr_traj != info.n_traj) {
    fail(f, "/@n_trajectories",
         std::to_string(info.n_traj) + " (the first axis of " + n_traj.path + ")",
         std::to_string(attr_traj));
  }
  info.spatial_shape = grid.value;
  const std::string time_path = "/dimensions/time";
  if (!file.exists(time_path)) fail(f, time_path, "a time dataset", "none");
  const Shape time_shape = file.dataset_shape(time_path);
  // Every selected field constant in time: the time axis alone gives the step count.
  info.n_steps =
      n_steps.path.empty() ? (time_shape.empty() ? 0 : time_shape.back()) : n_steps.value[0];
  for (Index axis = 0; axis < nd; ++axis) {
    info.coords.push_back(
        read_axis(file, "/dimensions/" + dims[size_t(axis)], info.spatial_shape[size_t(axis)]));
  }
  if (time_shape.size() == 2 && time_shape[0] == info.n_traj && time_shape[1] == info.n_steps) {
    Shape offset{0, 0}, count{1, info.n_steps};
    info.time.resize(size_t(info.n_steps));
    file.read_slab(time_path, offset, count, info.time.data());
  } else {
    info.time = read_axis(file, time_path, info.n_steps);
  }
  info.bc = well_bcs(file, dims);
  return plan;
}

}  // namespace pf::data::detail
