// Checks and small readers shared by the per-layout planners.
#include "core/error.hpp"
#include "data/detail/field_plan.hpp"
#include "io/hdf5.hpp"

#include <hdf5.h>

#include <algorithm>
#include <filesystem>

namespace pf::data::detail {

void fail(const std::string& file, const std::string& object, const std::string& expected,
          const std::string& found) {
  throw InputError(file + ": " + object + ": expected " + expected + ", found " + found);
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names)
    out += (out.empty() ? "" : ", ") + name;
  return "[" + out + "]";
}

namespace {

// pf::h5 converts any numeric dataset to float on read, so it cannot tell integers from floats;
// the element class is asked of HDF5 directly. An HDF5 handle closed on scope exit.
struct Handle {
  Handle(hid_t id_, herr_t (*close_)(hid_t)) : id(id_), close(close_) {}
  Handle(Handle&& other) noexcept : id(other.id), close(other.close) { other.id = -1; }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() {
    if (id >= 0) close(id);
  }
  hid_t id;
  herr_t (*close)(hid_t);
};

std::string class_name(H5T_class_t type_class) {
  switch (type_class) {
    case H5T_INTEGER:
      return "integer";
    case H5T_FLOAT:
      return "floating point";
    case H5T_STRING:
      return "string";
    case H5T_ENUM:
      return "enum (bool)";
    case H5T_COMPOUND:
      return "compound";
    default:
      return "a non-numeric type";
  }
}

}  // namespace

// A second handle on a file pf::h5 holds open; HDF5 refuses it unless the close degree matches
// pf::h5's (strong).
Handle reopen(const h5::File& file) {
  Handle fapl{H5Pcreate(H5P_FILE_ACCESS), H5Pclose};
  H5Pset_fclose_degree(fapl.id, H5F_CLOSE_STRONG);
  Handle f{H5Fopen(file.path().c_str(), H5F_ACC_RDONLY, fapl.id), H5Fclose};
  if (f.id < 0) fail(file.path(), "/", "a readable HDF5 file", "one HDF5 cannot open");
  return f;
}

void require_float_dataset(const h5::File& file, const std::string& path) {
  // Existence and kind were checked through pf::h5 before; this only asks the element class.
  const Handle f = reopen(file);
  Handle d{H5Dopen2(f.id, path.c_str(), H5P_DEFAULT), H5Dclose};
  if (d.id < 0) fail(file.path(), path, "a dataset", "none");
  Handle t{H5Dget_type(d.id), H5Tclose};
  const H5T_class_t type_class = H5Tget_class(t.id);
  if (type_class != H5T_FLOAT) {
    fail(file.path(), path, "floating-point field data (fp32 or fp64)",
         class_name(type_class) + " data");
  }
}

std::vector<std::string> select_fields(const std::string& file, const std::string& object,
                                       const std::vector<std::string>& available,
                                       const std::vector<std::string>& wanted) {
  if (available.empty()) fail(file, object, "at least one field", "none");
  if (wanted.empty()) return available;
  std::vector<std::string> picked;
  for (const auto& name : wanted) {
    if (std::find(available.begin(), available.end(), name) == available.end()) {
      fail(file, object, "a field among " + join(available), "unknown field \"" + name + "\"");
    }
    if (std::find(picked.begin(), picked.end(), name) != picked.end()) {
      fail(file, object, "each field named once", "\"" + name + "\" twice");
    }
    picked.push_back(name);
  }
  return picked;
}

std::vector<double> read_axis(const h5::File& file, const std::string& path, Index length,
                              bool allow_endpoint) {
  if (!file.exists(path)) fail(file.path(), path, "a coordinate dataset", "none");
  auto axis = file.read<double>(path);
  const Index n = static_cast<Index>(axis.values.size());
  const bool ok = axis.shape.size() == 1 && (n == length || (allow_endpoint && n == length + 1));
  if (!ok) {
    fail(file.path(), path,
         "shape [" + std::to_string(length) + "]" +
             (allow_endpoint ? " or [" + std::to_string(length + 1) + "]" : ""),
         to_string(axis.shape));
  }
  axis.values.resize(static_cast<size_t>(length));
  return axis.values;
}

std::vector<double> unit_cell_centres(Index n) {
  std::vector<double> x(static_cast<size_t>(n));
  for (Index i = 0; i < n; ++i)
    x[size_t(i)] = (double(i) + 0.5) / double(n);
  return x;
}

std::string config_attr(const h5::File& file) {
  return file.has_attr("/", "config") ? file.string_attr("/", "config") : std::string();
}

std::vector<std::string> name_list_attr(const h5::File& file, const std::string& object,
                                        const std::string& name) {
  const Handle f = reopen(file);
  Handle a{H5Aopen_by_name(f.id, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose};
  if (a.id < 0) fail(file.path(), object + "@" + name, "an attribute", "none");
  Handle space{H5Aget_space(a.id), H5Sclose};
  if (H5Sget_simple_extent_npoints(space.id) == 0) return {};
  return file.string_array_attr(object, name);
}

}  // namespace pf::data::detail
