#include "data/well_writer.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <stdexcept>

namespace pf::data {

namespace {

std::string upper(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string group_of(const WellField& field) {
  return "/t" + std::to_string(field.order) + "_fields";
}

void check_header(const WellHeader& h) {
  const auto fail = [](const std::string& what) {
    throw std::invalid_argument("WellWriter: " + what);
  };
  if (h.axes.empty() || h.axes.size() > 3)
    fail("expected 1 to 3 spatial axes, found " + std::to_string(h.axes.size()));
  std::set<std::string> axis_names;
  for (const auto& a : h.axes) {
    if (a.name.empty() || !axis_names.insert(a.name).second)
      fail("axis names must be distinct and not empty, found '" + a.name + "' twice or empty");
    if (a.coords.empty()) fail("axis '" + a.name + "' has no coordinates");
    if (a.bc != "periodic" && a.bc != "wall" && a.bc != "open")
      fail("axis '" + a.name + "': bc expected periodic, wall or open, found '" + a.bc + "'");
  }
  if (h.time.empty()) fail("expected at least one time step, found none");
  if (h.n_traj <= 0) fail("expected n_traj > 0, found " + std::to_string(h.n_traj));
  std::set<std::string> names;
  for (const auto& f : h.fields) {
    if (f.order != 0 && f.order != 1)
      fail("field '" + f.name + "': order expected 0 or 1, found " + std::to_string(f.order));
    if (f.name.empty() || !names.insert(f.name).second)  // write_frame finds fields by name
      fail("field names must be distinct and not empty, found '" + f.name + "'");
  }
  std::set<std::string> scalar_names;
  for (const auto& s : h.scalars)
    if (s.empty() || !scalar_names.insert(s).second)
      fail("scalar names must be distinct and not empty, found '" + s + "'");
  for (const auto& [name, value] : h.parameters)
    if (name.empty() || !scalar_names.insert(name).second)
      fail("parameter '" + name + "' is empty or shares its name with a scalar or parameter");
}

}  // namespace

Shape well_grid_shape(const WellHeader& header) {
  Shape shape;
  for (const auto& a : header.axes)
    shape.push_back(static_cast<Index>(a.coords.size()));
  return shape;
}

Index well_frame_numel(const WellHeader& header, const WellField& field) {
  const Index n = numel(well_grid_shape(header));
  return field.order == 0 ? n : n * static_cast<Index>(header.axes.size());
}

WellWriter::WellWriter(std::string path, WellHeader header)
    : header_((check_header(header), std::move(header))), output_(std::move(path)) {
  file_ = std::make_unique<h5::File>(h5::File::create(output_.temp_path()));
  const auto n_steps = static_cast<Index>(header_.time.size());
  for (std::size_t i = 0; i < header_.fields.size(); ++i)
    frame_written_.emplace_back(static_cast<std::size_t>(header_.n_traj * n_steps), false);
  for (std::size_t i = 0; i < header_.scalars.size(); ++i)
    series_written_.emplace_back(static_cast<std::size_t>(header_.n_traj), false);
  write_layout();
}

WellWriter::~WellWriter() = default;

void WellWriter::write_layout() {
  h5::File& f = *file_;
  const auto& h = header_;
  const auto n_dims = static_cast<Index>(h.axes.size());
  const auto n_steps = static_cast<Index>(h.time.size());
  const Shape grid = well_grid_shape(h);

  std::vector<std::string> param_names;
  for (const auto& p : h.parameters)
    param_names.push_back(p.first);
  f.set_string_attr("/", "dataset_name", h.dataset_name);
  f.set_string_attr("/", "grid_type", "cartesian");
  f.set_int_attr("/", "n_spatial_dims", n_dims);
  f.set_int_attr("/", "n_trajectories", h.n_traj);
  f.set_string_array_attr("/", "simulation_parameters", param_names);
  for (const auto& [name, value] : h.parameters)
    f.set_double_attr("/", name, value);
  if (!h.config_toml.empty()) f.set_string_attr("/", "config", h.config_toml);
  if (!h.producer.empty()) f.set_string_attr("/", "producer", h.producer);

  std::vector<std::string> axis_names;
  for (const auto& a : h.axes)
    axis_names.push_back(a.name);
  f.ensure_group("/dimensions");
  f.set_string_array_attr("/dimensions", "spatial_dims", axis_names);
  const std::vector<float> time(h.time.begin(), h.time.end());
  f.write("/dimensions/time", time, {n_steps});
  f.set_bool_attr("/dimensions/time", "sample_varying", false);
  f.set_bool_attr("/dimensions/time", "time_varying", true);
  for (const auto& a : h.axes) {
    const std::string path = "/dimensions/" + a.name;
    const std::vector<float> coords(a.coords.begin(), a.coords.end());
    f.write(path, coords, {static_cast<Index>(coords.size())});
    f.set_bool_attr(path, "sample_varying", false);
    f.set_bool_attr(path, "time_varying", false);
  }

  // One boundary group per axis, named as The Well's own files name them ("x_periodic"); the
  // mask marks the two end points of the axis, which is where readers look for the type.
  f.ensure_group("/boundary_conditions");
  for (const auto& a : h.axes) {
    const std::string path = "/boundary_conditions/" + a.name + "_" + a.bc;
    f.ensure_group(path);
    f.set_string_attr(path, "bc_type", upper(a.bc));
    f.set_string_array_attr(path, "associated_dims", {a.name});
    f.set_string_array_attr(path, "associated_fields", {});
    f.set_bool_attr(path, "sample_varying", false);
    f.set_bool_attr(path, "time_varying", false);
    std::vector<bool> mask(a.coords.size(), false);
    mask.front() = mask.back() = true;
    f.write_bool(path + "/mask", mask, {static_cast<Index>(mask.size())});
    // Periodic, wall and open boundaries carry no values; The Well stores them per mask point.
    const Index n_true = mask.size() > 1 ? 2 : 1;
    f.write(path + "/values", std::vector<float>(static_cast<std::size_t>(n_true), 0.f), {n_true});
  }

  f.ensure_group("/scalars");
  std::vector<std::string> scalar_names = h.scalars;
  for (const auto& p : param_names)
    scalar_names.push_back(p);
  f.set_string_array_attr("/scalars", "field_names", scalar_names);
  h5::WriteOptions series_options;
  series_options.chunk = {1, n_steps};
  for (const auto& s : h.scalars) {
    const std::string path = "/scalars/" + s;
    f.create_dataset<double>(path, {h.n_traj, n_steps}, series_options);
    f.set_bool_attr(path, "sample_varying", true);
    f.set_bool_attr(path, "time_varying", true);
  }
  for (const auto& [name, value] : h.parameters) {
    const std::string path = "/scalars/" + name;
    f.write(path, std::vector<double>{value}, {1});
    f.set_bool_attr(path, "sample_varying", false);
    f.set_bool_attr(path, "time_varying", false);
  }

  // The Well's readers expect all three field groups, empty ones included.
  for (int order = 0; order <= 2; ++order) {
    const std::string group = "/t" + std::to_string(order) + "_fields";
    std::vector<std::string> names;
    for (const auto& field : h.fields)
      if (field.order == order) names.push_back(field.name);
    f.ensure_group(group);
    f.set_string_array_attr(group, "field_names", names);
  }
  for (const auto& field : h.fields) {
    const std::string path = group_of(field) + "/" + field.name;
    Shape shape{h.n_traj, n_steps};
    shape.insert(shape.end(), grid.begin(), grid.end());
    if (field.order == 1) shape.push_back(n_dims);
    h5::WriteOptions options;
    options.chunk = shape;
    options.chunk[0] = options.chunk[1] = 1;  // one frame per chunk: cheap shuffled reads
    options.shuffle = true;
    options.deflate_level = 4;
    f.create_dataset<float>(path, shape, options);
    f.set_bool_array_attr(path, "dim_varying", std::vector<bool>(grid.size(), true));
    f.set_bool_attr(path, "sample_varying", true);
    f.set_bool_attr(path, "time_varying", true);
  }
}

Index WellWriter::field_index(const std::string& name) const {
  for (std::size_t i = 0; i < header_.fields.size(); ++i)
    if (header_.fields[i].name == name) return static_cast<Index>(i);
  throw std::invalid_argument("WellWriter: no field named '" + name + "' in the header");
}

Index WellWriter::scalar_index(const std::string& name) const {
  const auto it = std::find(header_.scalars.begin(), header_.scalars.end(), name);
  if (it == header_.scalars.end())
    throw std::invalid_argument("WellWriter: no scalar series named '" + name + "' in the header");
  return it - header_.scalars.begin();
}

void WellWriter::write_frame(const std::string& field, Index traj, Index step, const float* frame) {
  const Index i = field_index(field);
  const auto n_steps = static_cast<Index>(header_.time.size());
  if (traj < 0 || traj >= header_.n_traj || step < 0 || step >= n_steps)
    throw std::out_of_range("WellWriter: frame (" + std::to_string(traj) + ", " +
                            std::to_string(step) + ") of '" + field + "' outside [0, " +
                            std::to_string(header_.n_traj) + ") x [0, " + std::to_string(n_steps) +
                            ")");
  const WellField& spec = header_.fields[static_cast<std::size_t>(i)];
  const Shape grid = well_grid_shape(header_);
  Shape offset(grid.size() + 2, 0), count{1, 1};
  offset[0] = traj;
  offset[1] = step;
  count.insert(count.end(), grid.begin(), grid.end());
  if (spec.order == 1) {
    offset.push_back(0);
    count.push_back(static_cast<Index>(grid.size()));
  }
  file_->write_slab(group_of(spec) + "/" + spec.name, offset, count, frame);
  frame_written_[static_cast<std::size_t>(i)][static_cast<std::size_t>(traj * n_steps + step)] =
      true;
}

void WellWriter::write_scalar_series(const std::string& scalar, Index traj,
                                     const std::vector<double>& values) {
  const Index i = scalar_index(scalar);
  const auto n_steps = static_cast<Index>(header_.time.size());
  if (traj < 0 || traj >= header_.n_traj)
    throw std::out_of_range("WellWriter: trajectory " + std::to_string(traj) + " of '" + scalar +
                            "' outside [0, " + std::to_string(header_.n_traj) + ")");
  if (static_cast<Index>(values.size()) != n_steps)
    throw std::invalid_argument("WellWriter: series '" + scalar + "' expected " +
                                std::to_string(n_steps) + " values, found " +
                                std::to_string(values.size()));
  file_->write_slab("/scalars/" + scalar, {traj, 0}, {1, n_steps}, values.data());
  series_written_[static_cast<std::size_t>(i)][static_cast<std::size_t>(traj)] = true;
}

void WellWriter::commit() {
  const auto n_steps = static_cast<Index>(header_.time.size());
  for (std::size_t i = 0; i < frame_written_.size(); ++i) {
    const auto& done = frame_written_[i];
    const auto it = std::find(done.begin(), done.end(), false);
    if (it != done.end()) {
      const Index k = it - done.begin();
      throw std::logic_error("WellWriter: frame (trajectory " + std::to_string(k / n_steps) +
                             ", step " + std::to_string(k % n_steps) + ") of '" +
                             header_.fields[i].name + "' was never written");
    }
  }
  for (std::size_t i = 0; i < series_written_.size(); ++i) {
    const auto& done = series_written_[i];
    const auto it = std::find(done.begin(), done.end(), false);
    if (it != done.end())
      throw std::logic_error("WellWriter: series '" + header_.scalars[i] + "' of trajectory " +
                             std::to_string(it - done.begin()) + " was never written");
  }
  file_->close();
  output_.commit();
}

}  // namespace pf::data
