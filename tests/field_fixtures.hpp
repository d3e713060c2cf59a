// Small field files in The Well's layout (docs/data_format.md of PolymathicAI/the_well) and in
// PDEBench's 2D layouts, written with pf::h5, holding values known in closed form so readers
// can be checked exactly: fixture_value(field, component, trajectory, step, point).
#pragma once

#include "core/types.hpp"
#include "io/hdf5.hpp"

#include <cmath>
#include <string>
#include <vector>

namespace pf::testing {

// Distinct for every (field, component, trajectory, step, point); cast to fp32 once, so a reader
// must return it bit for bit.
inline float fixture_value(int field, int component, Index traj, Index step, Index point) {
  return float(field + 0.25 * component + 0.01 * double(traj) + 0.5 * double(step) +
               std::sin(0.37 * double(point) + field));
}

struct FixtureField {
  std::string name;
  int order = 0;                                    // 0 scalar, 1 vector ([D]), 2 tensor ([D, D])
  bool sample_varying = true, time_varying = true;  // false: that leading axis is absent
};

struct WellSpec {
  Index n_traj = 3, n_steps = 6;
  Shape spatial{4, 5};  // [X, Y] or [X, Y, Z]
  std::vector<FixtureField> fields{{"density", 0}, {"velocity", 1}, {"pressure", 0}};
  bool time_per_sample = false;  // dimensions/time as [n_traj, n_steps]
};

inline std::vector<std::string> well_dims(const WellSpec& spec) {
  return spec.spatial.size() == 2 ? std::vector<std::string>{"x", "y"}
                                  : std::vector<std::string>{"x", "y", "z"};
}

inline double fixture_time(Index traj, Index step) {
  return 0.125 * double(step) + 0.5 * double(traj);
}
inline double fixture_coord(size_t axis, Index i) {
  return double(axis) + 0.1 * double(i);
}

// Field `f` of a Well fixture at (component, trajectory, step, point): a field constant over
// trajectories or time holds trajectory 0's or step 0's value everywhere.
inline float well_value(const WellSpec& spec, int f, int component, Index traj, Index step,
                        Index point) {
  const auto& field = spec.fields[size_t(f)];
  return fixture_value(f, component, field.sample_varying ? traj : 0, field.time_varying ? step : 0,
                       point);
}

// Data of field `f` as stored: [n_traj?, n_steps?, spatial..., D^order].
inline std::vector<float> well_field_values(const WellSpec& spec, int f) {
  const auto& field = spec.fields[size_t(f)];
  const Index points = numel(spec.spatial);
  const Index comps = Index(std::pow(double(spec.spatial.size()), field.order));
  std::vector<float> v;
  for (Index b = 0; b < (field.sample_varying ? spec.n_traj : 1); ++b)
    for (Index t = 0; t < (field.time_varying ? spec.n_steps : 1); ++t)
      for (Index p = 0; p < points; ++p)
        for (Index c = 0; c < comps; ++c)
          v.push_back(fixture_value(f, int(c), b, t, p));
  return v;
}

inline void write_well_fixture(const std::string& path, const WellSpec& spec) {
  auto file = h5::File::create(path);
  const auto dims = well_dims(spec);
  const Index nd = Index(dims.size());
  file.set_string_attr("/", "dataset_name", "fixture_flow");
  file.set_string_attr("/", "grid_type", "cartesian");
  file.set_int_attr("/", "n_spatial_dims", nd);
  file.set_int_attr("/", "n_trajectories", spec.n_traj);
  file.set_string_array_attr("/", "simulation_parameters", {"Re"});
  file.set_double_attr("/", "Re", 1000.0);
  file.set_string_attr("/", "config", "[sim]\nre = 1000\n");

  file.ensure_group("/dimensions");
  file.set_string_array_attr("/dimensions", "spatial_dims", dims);
  std::vector<double> time;
  Shape time_shape{spec.n_steps};
  if (spec.time_per_sample) time_shape = {spec.n_traj, spec.n_steps};
  for (Index b = 0; b < (spec.time_per_sample ? spec.n_traj : 1); ++b)
    for (Index t = 0; t < spec.n_steps; ++t)
      time.push_back(fixture_time(b, t));
  std::vector<float> time32(time.begin(), time.end());
  file.write("/dimensions/time", time32, time_shape);
  file.set_bool_attr("/dimensions/time", "sample_varying", spec.time_per_sample);
  for (size_t axis = 0; axis < dims.size(); ++axis) {
    std::vector<float> x;
    for (Index i = 0; i < spec.spatial[axis]; ++i)
      x.push_back(float(fixture_coord(axis, i)));
    const std::string p = "/dimensions/" + dims[axis];
    file.write(p, x, {spec.spatial[axis]});
    file.set_bool_attr(p, "sample_varying", false);
    file.set_bool_attr(p, "time_varying", false);
  }

  // x periodic; y walls (upper case, as some Well files spell it); z (3D) left undescribed.
  // associated_fields (an empty list in most Well files) is left out: pf::h5 cannot write an
  // empty string array, and the reader does not use it.
  const std::vector<std::pair<std::string, std::string>> bcs{{"x", "periodic"}, {"y", "WALL"}};
  for (size_t axis = 0; axis < 2; ++axis) {
    const std::string g = "/boundary_conditions/" + bcs[axis].first + "_bc";
    std::vector<std::uint8_t> mask(size_t(spec.spatial[axis]), 0);
    mask.front() = mask.back() = 1;
    file.write(g + "/mask", mask, {spec.spatial[axis]});
    file.write(g + "/values", std::vector<float>{0.f, 0.f}, {2});
    file.set_string_attr(g, "bc_type", bcs[axis].second);
    file.set_string_array_attr(g, "associated_dims", {bcs[axis].first});
    file.set_bool_attr(g, "sample_varying", false);
    file.set_bool_attr(g, "time_varying", false);
  }

  file.ensure_group("/scalars");
  file.set_string_array_attr("/scalars", "field_names", {"Re"});
  file.write("/scalars/Re", std::vector<float>{1000.f}, {});

  for (int order = 0; order <= 2; ++order) {
    std::vector<std::string> names;
    const std::string group = "/t" + std::to_string(order) + "_fields";
    file.ensure_group(group);
    for (size_t f = 0; f < spec.fields.size(); ++f) {
      if (spec.fields[f].order != order) continue;
      names.push_back(spec.fields[f].name);
      const auto& field = spec.fields[f];
      Shape shape, chunk;  // one trajectory × one step per chunk, as the Well and we store
      if (field.sample_varying) shape.push_back(spec.n_traj), chunk.push_back(1);
      if (field.time_varying) shape.push_back(spec.n_steps), chunk.push_back(1);
      shape.insert(shape.end(), spec.spatial.begin(), spec.spatial.end());
      chunk.insert(chunk.end(), spec.spatial.begin(), spec.spatial.end());
      for (int k = 0; k < order; ++k) {
        shape.push_back(nd);
        chunk.push_back(nd);
      }
      const std::string p = group + "/" + spec.fields[f].name;
      file.write(p, well_field_values(spec, int(f)), shape, {chunk, true, 4});
      file.set_bool_array_attr(p, "dim_varying", std::vector<bool>(dims.size(), true));
      file.set_bool_attr(p, "sample_varying", field.sample_varying);
      file.set_bool_attr(p, "time_varying", field.time_varying);
    }
    // Well files give empty groups an empty field_names, which pf::h5 cannot write.
    if (!names.empty()) file.set_string_array_attr(group, "field_names", names);
  }
  file.close();
}

// PDEBench compressible CFD, flat: density, pressure, Vx, Vy [N, T, X, Y] (field index in that
// order), x-/y-coordinate, and t-coordinate with T + 1 entries as PDEBench writes it.
struct PdebenchSpec {
  Index n_traj = 3, n_steps = 5, nx = 4, ny = 3;
};

inline void write_pdebench_flat_fixture(const std::string& path, const PdebenchSpec& s) {
  auto file = h5::File::create(path);
  const char* names[] = {"Vx", "Vy", "density", "pressure"};  // h5py's alphabetical order
  const int field_index[] = {2, 3, 0, 1};
  for (int n = 0; n < 4; ++n) {
    std::vector<float> v;
    for (Index b = 0; b < s.n_traj; ++b)
      for (Index t = 0; t < s.n_steps; ++t)
        for (Index p = 0; p < s.nx * s.ny; ++p)
          v.push_back(fixture_value(field_index[n], 0, b, t, p));
    file.write(std::string("/") + names[n], v, {s.n_traj, s.n_steps, s.nx, s.ny});
  }
  std::vector<float> x, y, t;
  for (Index i = 0; i < s.nx; ++i)
    x.push_back(float(fixture_coord(0, i)));
  for (Index i = 0; i < s.ny; ++i)
    y.push_back(float(fixture_coord(1, i)));
  for (Index i = 0; i <= s.n_steps; ++i)
    t.push_back(float(fixture_time(0, i)));
  file.write("/x-coordinate", x, {s.nx});
  file.write("/y-coordinate", y, {s.ny});
  file.write("/t-coordinate", t, {s.n_steps + 1});
  file.set_double_attr("/", "eta", 0.1);
  file.set_double_attr("/", "zeta", 0.1);
  file.set_double_attr("/", "M", 1.0);
  file.close();
}

// PDEBench incompressible NS: velocity [B, T, X, Y, 2] (field 0), particles [B, T, X, Y, 1]
// (field 1), force [B, X, Y, 2], t [B, T], YAML config attribute.
inline void write_pdebench_incomp_fixture(const std::string& path, const PdebenchSpec& s) {
  auto file = h5::File::create(path);
  for (int f = 0; f < 2; ++f) {
    const Index comps = f == 0 ? 2 : 1;
    std::vector<float> v;
    for (Index b = 0; b < s.n_traj; ++b)
      for (Index t = 0; t < s.n_steps; ++t)
        for (Index p = 0; p < s.nx * s.ny; ++p)
          for (Index c = 0; c < comps; ++c)
            v.push_back(fixture_value(f, int(c), b, t, p));
    file.write(f == 0 ? "/velocity" : "/particles", v, {s.n_traj, s.n_steps, s.nx, s.ny, comps});
  }
  file.write("/force", std::vector<float>(size_t(s.n_traj * s.nx * s.ny * 2), 0.5f),
             {s.n_traj, s.nx, s.ny, 2});
  std::vector<float> t;
  for (Index b = 0; b < s.n_traj; ++b)
    for (Index i = 0; i < s.n_steps; ++i)
      t.push_back(float(fixture_time(b, i)));
  file.write("/t", t, {s.n_traj, s.n_steps});
  file.set_string_attr("/", "config", "sim:\n  visc: 0.01\n");
  file.close();
}

// PDEBench per-sample groups: "0000"/data [T, X, Y, C] (field 0, component c), grid/{x, y, t}.
inline void write_pdebench_groups_fixture(const std::string& path, const PdebenchSpec& s,
                                          Index channels) {
  auto file = h5::File::create(path);
  for (Index b = 0; b < s.n_traj; ++b) {
    char group[16];
    std::snprintf(group, sizeof group, "/%04lld", static_cast<long long>(b));
    std::vector<float> v;
    for (Index t = 0; t < s.n_steps; ++t)
      for (Index p = 0; p < s.nx * s.ny; ++p)
        for (Index c = 0; c < channels; ++c)
          v.push_back(fixture_value(0, int(c), b, t, p));
    file.write(std::string(group) + "/data", v, {s.n_steps, s.nx, s.ny, channels});
    std::vector<float> x, y, t;
    for (Index i = 0; i < s.nx; ++i)
      x.push_back(float(fixture_coord(0, i)));
    for (Index i = 0; i < s.ny; ++i)
      y.push_back(float(fixture_coord(1, i)));
    for (Index i = 0; i < s.n_steps; ++i)
      t.push_back(float(fixture_time(0, i)));
    file.write(std::string(group) + "/grid/x", x, {s.nx});
    file.write(std::string(group) + "/grid/y", y, {s.ny});
    file.write(std::string(group) + "/grid/t", t, {s.n_steps});
  }
  file.close();
}

}  // namespace pf::testing
