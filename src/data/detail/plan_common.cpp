// Checks and small readers shared by the per-layout planners.
#include "core/error.hpp"
#include "data/detail/field_plan.hpp"
#include "io/hdf5.hpp"

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

std::string class_name(h5::ElementClass element_class) {
  switch (element_class) {
    case h5::ElementClass::Integer:
      return "integer";
    case h5::ElementClass::Float:
      return "floating point";
    case h5::ElementClass::String:
      return "string";
    case h5::ElementClass::Enum:
      return "enum (bool)";
    case h5::ElementClass::Other:
      break;
  }
  return "a non-numeric type";
}

}  // namespace

void require_float_dataset(const h5::File& file, const std::string& path) {
  const h5::ElementClass element_class = file.element_class(path);
  if (element_class != h5::ElementClass::Float) {
    fail(file.path(), path, "floating-point field data (fp32 or fp64)",
         class_name(element_class) + " data");
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

}  // namespace pf::data::detail
