// PDEBench's 2D (and flat 3D) layouts (pdebench/PDEBench data_gen and its loaders):
//  flat CFD: density, pressure, Vx, Vy(, Vz) [N, T, X, Y(, Z)], x-/y-/z-/t-coordinate;
//  incompressible NS: velocity [B, T, X, Y, 2], particles [B, T, X, Y, 1], t [B, T];
//  groups: "0000"/data [T, X, Y, C] with "0000"/grid/{x, y, t}, one group per sample.
#include "core/error.hpp"
#include "data/detail/field_plan.hpp"
#include "io/hdf5.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

namespace pf::data::detail {

namespace {

const char* const kAxisNames[] = {"x", "y", "z"};

FieldPlan start_plan(const h5::File& file, FieldLayout layout) {
  FieldPlan plan;
  plan.info.path = file.path();
  plan.info.layout = layout;
  plan.info.dataset_name = std::filesystem::path(file.path()).stem().string();
  plan.info.config = config_attr(file);
  return plan;
}

// PDEBench records the boundary condition only in CFD file names ("..._periodic_..." or
// "..._trans_..." for transmissive, i.e. open, boundaries).
std::string bc_from_file_name(const std::string& path) {
  const std::string name = std::filesystem::path(path).filename().string();
  if (name.find("periodic") != std::string::npos) return "periodic";
  if (name.find("trans") != std::string::npos) return "open";
  return "unknown";
}

// Checks `path` exists, holds floats and has the given rank; returns its shape.
Shape check_field(const h5::File& file, const std::string& path, size_t rank,
                  const std::string& expected) {
  if (!file.exists(path)) fail(file.path(), path, "a dataset " + expected, "none");
  require_float_dataset(file, path);
  const Shape shape = file.dataset_shape(path);
  if (shape.size() != rank) fail(file.path(), path, expected, "shape " + to_string(shape));
  return shape;
}

}  // namespace

FieldPlan plan_pdebench_flat(const h5::File& file, const std::vector<std::string>& fields) {
  const std::string& f = file.path();
  FieldPlan plan = start_plan(file, FieldLayout::PdebenchFlat);
  FieldFileInfo& info = plan.info;
  std::vector<std::string> available;
  for (const char* name : {"density", "pressure", "Vx", "Vy", "Vz"}) {
    if (file.exists(std::string("/") + name)) available.push_back(name);
  }
  const auto picked = select_fields(f, "/", available, fields);
  Shape common;
  for (const auto& name : picked) {
    const std::string path = "/" + name;
    Shape shape;
    if (common.empty()) {
      shape = file.dataset_shape(path);
      if (shape.size() != 4 && shape.size() != 5) {
        fail(f, path, "rank 4 or 5 [N, T, X, Y(, Z)]", "shape " + to_string(shape));
      }
      require_float_dataset(file, path);
      common = shape;
    } else {
      shape = check_field(file, path, common.size(),
                          "the shape " + to_string(common) + " of /" + picked[0]);
      if (shape != common) {
        fail(f, path, "the shape " + to_string(common) + " of /" + picked[0],
             "shape " + to_string(shape));
      }
    }
    plan.sources.push_back({name, {path}, true, true, {}, 1, info.n_channels()});
    info.field_paths.push_back(path);
    info.channels.push_back(name);
  }
  info.n_traj = common[0];
  info.n_steps = common[1];
  info.spatial_shape.assign(common.begin() + 2, common.end());
  for (size_t axis = 0; axis < info.spatial_shape.size(); ++axis) {
    const std::string path = std::string("/") + kAxisNames[axis] + "-coordinate";
    info.coords.push_back(file.exists(path) ? read_axis(file, path, info.spatial_shape[axis])
                                            : unit_cell_centres(info.spatial_shape[axis]));
  }
  info.time = read_axis(file, "/t-coordinate", info.n_steps, true);
  info.bc.assign(info.spatial_shape.size(), bc_from_file_name(f));
  return plan;
}

FieldPlan plan_pdebench_incomp_ns(const h5::File& file, const std::vector<std::string>& fields) {
  const std::string& f = file.path();
  FieldPlan plan = start_plan(file, FieldLayout::PdebenchIncompNS);
  FieldFileInfo& info = plan.info;
  // force [B, X, Y, 2] is constant in time: a conditioning input, not a channel to forecast.
  std::vector<std::string> available;
  for (const char* name : {"velocity", "particles"}) {
    if (file.exists(std::string("/") + name)) available.push_back(name);
  }
  const auto picked = select_fields(f, "/", available, fields);
  Shape common;
  for (const auto& name : picked) {
    const std::string path = "/" + name;
    const Index components = name == "velocity" ? 2 : 1;
    const std::string expected = "rank 5 [B, T, X, Y, " + std::to_string(components) + "]";
    const Shape shape = check_field(file, path, 5, expected);
    if (shape[4] != components) fail(f, path, expected, "shape " + to_string(shape));
    const Shape head(shape.begin(), shape.begin() + 4);
    if (common.empty()) {
      common = head;
    } else if (head != common) {
      fail(f, path, "leading axes " + to_string(common) + " as /" + picked[0],
           "shape " + to_string(shape));
    }
    plan.sources.push_back({name, {path}, true, true, {components}, components, info.n_channels()});
    info.field_paths.push_back(path);
    if (components == 1) {
      info.channels.push_back(name);
    } else {
      info.channels.push_back(name + "_x");
      info.channels.push_back(name + "_y");
    }
  }
  info.n_traj = common[0];
  info.n_steps = common[1];
  info.spatial_shape = {common[2], common[3]};
  // The files store no grid: cell centres of the unit square, as PDEBench's generator uses.
  info.coords = {unit_cell_centres(common[2]), unit_cell_centres(common[3])};
  if (file.exists("/t")) {
    const Shape t_shape = file.dataset_shape("/t");
    if (t_shape.size() == 2 && t_shape[0] == info.n_traj && t_shape[1] == info.n_steps) {
      info.time.resize(size_t(info.n_steps));
      file.read_slab("/t", {0, 0}, {1, info.n_steps}, info.time.data());
    } else {
      info.time = read_axis(file, "/t", info.n_steps);
    }
  } else {
    for (Index t = 0; t < info.n_steps; ++t)
      info.time.push_back(double(t));
  }
  info.bc.assign(2, "unknown");
  return plan;
}

FieldPlan plan_pdebench_groups(const h5::File& file, const std::vector<std::string>& fields) {
  const std::string& f = file.path();
  FieldPlan plan = start_plan(file, FieldLayout::PdebenchGroups);
  FieldFileInfo& info = plan.info;
  std::set<std::string> groups;  // sorted: "0000", "0001", ...
  for (const auto& path : file.list_datasets("/")) {
    const size_t slash = path.find('/', 1);
    if (slash != std::string::npos && path.substr(slash) == "/data")
      groups.insert(path.substr(0, slash));
  }
  if (groups.empty()) fail(f, "/", "sample groups \"0000\", ... each with a dataset data", "none");
  select_fields(f, *groups.begin() + "/data", {"data"}, fields);
  FieldSource source{"data", {}, false, true, {}, 1, 0};
  Shape common;
  for (const auto& group : groups) {
    const std::string path = group + "/data";
    const Shape shape = file.dataset_shape(path);
    if (common.empty()) {
      if (shape.size() != 4 && shape.size() != 5) {
        fail(f, path, "rank 4 or 5 [T, X, Y(, Z), C]", "shape " + to_string(shape));
      }
      require_float_dataset(file, path);  // the element type once; the shape of every sample
      common = shape;
    } else if (shape != common) {
      fail(f, path, "the shape " + to_string(common) + " of " + *groups.begin() + "/data",
           "shape " + to_string(shape));
    }
    source.paths.push_back(path);
  }
  source.components = common.back();
  source.component_shape = {common.back()};
  plan.sources.push_back(source);
  info.field_paths.push_back(source.paths[0]);
  for (Index c = 0; c < source.components; ++c) {
    info.channels.push_back(source.components == 1 ? "data" : "data_" + std::to_string(c));
  }
  info.n_traj = static_cast<Index>(groups.size());
  info.n_steps = common[0];
  info.spatial_shape.assign(common.begin() + 1, common.end() - 1);
  const std::string grid = *groups.begin() + "/grid/";
  for (size_t axis = 0; axis < info.spatial_shape.size(); ++axis) {
    const std::string path = grid + kAxisNames[axis];
    info.coords.push_back(file.exists(path) ? read_axis(file, path, info.spatial_shape[axis])
                                            : unit_cell_centres(info.spatial_shape[axis]));
  }
  info.time = read_axis(file, grid + "t", info.n_steps, true);
  info.bc.assign(info.spatial_shape.size(), "unknown");
  return plan;
}

}  // namespace pf::data::detail
