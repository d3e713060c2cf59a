// pf::h5 attributes: scalar, array and string attributes on any object.
#include "io/hdf5.hpp"

#include "io/detail/hdf5_handles.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

namespace pf::h5 {

using detail::absolute;
using detail::attr_label;
using detail::check_convertible;
using detail::describe_type;
using detail::extent;
using detail::fail;
using detail::fail_hdf5;
using detail::Id;
using detail::make_bool_type;
using detail::make_space;
using detail::open_object;
using detail::TypeOf;

using detail::make_vlen_string_type;

namespace {

void write_attr(hid_t file_id, const std::string& file, const std::string& object,
                const std::string& name, hid_t stored_type, hid_t memory_type, const Shape& shape,
                const void* data) {
  const std::string full = absolute(object);
  Id target = open_object(file_id, file, full, "an object to hold " + attr_label(full, name));
  const htri_t present = H5Aexists(target.get(), name.c_str());
  if (present > 0 && H5Adelete(target.get(), name.c_str()) < 0) {
    fail_hdf5(file, full, "cannot replace " + attr_label(full, name));
  }
  Id space = make_space(shape);
  Id attr(
      H5Acreate2(target.get(), name.c_str(), stored_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
      H5Aclose);
  if (!attr.valid()) fail_hdf5(file, full, "cannot create " + attr_label(full, name));
  // An empty list has nothing to write (and HDF5 refuses the null buffer of an empty vector).
  if (numel(shape) > 0 && H5Awrite(attr.get(), memory_type, data) < 0) {
    fail_hdf5(file, full, "cannot write " + attr_label(full, name));
  }
}

struct OpenAttr {
  Id attr;
  Id type;
  Id space;
  Index count = 0;
};

OpenAttr open_attr(hid_t file_id, const std::string& file, const std::string& object,
                   const std::string& name) {
  const std::string full = absolute(object);
  Id target = open_object(file_id, file, full, "an object holding " + attr_label(full, name));
  if (H5Aexists(target.get(), name.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    fail(file, attr_label(full, name), "expected this attribute, found none");
  }
  OpenAttr out;
  out.attr = Id(H5Aopen(target.get(), name.c_str(), H5P_DEFAULT), H5Aclose);
  if (!out.attr.valid()) fail_hdf5(file, full, "cannot open " + attr_label(full, name));
  out.type = Id(H5Aget_type(out.attr.get()), H5Tclose);
  out.space = Id(H5Aget_space(out.attr.get()), H5Sclose);
  out.count = numel(extent(out.space.get(), file, attr_label(full, name)));
  return out;
}

template <class T>
std::vector<T> read_numeric_attr(hid_t file_id, const std::string& file, const std::string& object,
                                 const std::string& name) {
  const std::string label = attr_label(object, name);
  OpenAttr a = open_attr(file_id, file, object, name);
  check_convertible(a.type.get(), std::is_integral_v<T>, TypeOf<T>::name, file, label);
  std::vector<T> values(static_cast<size_t>(a.count));
  if (!values.empty() && H5Aread(a.attr.get(), TypeOf<T>::memory(), values.data()) < 0) {
    fail_hdf5(file, label, std::string("cannot read as ") + TypeOf<T>::name);
  }
  return values;
}

template <class T>
T single(std::vector<T> values, const std::string& file, const std::string& object,
         const std::string& name) {
  if (values.size() != 1) {
    fail(file, attr_label(object, name),
         "expected one value, found " + std::to_string(values.size()));
  }
  return values.front();
}

}  // namespace

void File::set_string_attr(const std::string& object, const std::string& name,
                           const std::string& value) {
  Id type = make_vlen_string_type();
  const char* text = value.c_str();
  write_attr(id_, path_, object, name, type.get(), type.get(), {}, &text);
}

void File::set_int_attr(const std::string& object, const std::string& name, std::int64_t value) {
  write_attr(id_, path_, object, name, H5T_STD_I64LE, H5T_NATIVE_INT64, {}, &value);
}

void File::set_double_attr(const std::string& object, const std::string& name, double value) {
  write_attr(id_, path_, object, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {}, &value);
}

void File::set_int_array_attr(const std::string& object, const std::string& name,
                              const std::vector<std::int64_t>& values) {
  write_attr(id_, path_, object, name, H5T_STD_I64LE, H5T_NATIVE_INT64,
             {static_cast<Index>(values.size())}, values.data());
}

void File::set_double_array_attr(const std::string& object, const std::string& name,
                                 const std::vector<double>& values) {
  write_attr(id_, path_, object, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
             {static_cast<Index>(values.size())}, values.data());
}

void File::set_string_array_attr(const std::string& object, const std::string& name,
                                 const std::vector<std::string>& values) {
  Id type = make_vlen_string_type();
  std::vector<const char*> texts;
  for (const auto& value : values)
    texts.push_back(value.c_str());
  write_attr(id_, path_, object, name, type.get(), type.get(), {static_cast<Index>(texts.size())},
             texts.data());
}

void File::set_bool_attr(const std::string& object, const std::string& name, bool value) {
  // A scalar, as h5py writes np.bool_(True).
  Id type = make_bool_type();
  const std::int8_t stored = value ? 1 : 0;
  write_attr(id_, path_, object, name, type.get(), type.get(), {}, &stored);
}

void File::set_bool_array_attr(const std::string& object, const std::string& name,
                               const std::vector<bool>& values) {
  Id type = make_bool_type();
  std::vector<std::int8_t> stored(values.begin(), values.end());
  write_attr(id_, path_, object, name, type.get(), type.get(), {static_cast<Index>(stored.size())},
             stored.data());
}

bool File::has_attr(const std::string& object, const std::string& name) const {
  if (!exists(object)) return false;
  const htri_t present =
      H5Aexists_by_name(id_, absolute(object).c_str(), name.c_str(), H5P_DEFAULT);
  H5Eclear2(H5E_DEFAULT);
  return present > 0;
}

std::vector<std::string> File::attr_names(const std::string& object) const {
  const std::string full = absolute(object);
  Id target = open_object(id_, path_, full, "an object with attributes");
  std::vector<std::string> names;
  auto on_attr = [](hid_t, const char* name, const H5A_info_t*, void* data) -> herr_t {
    static_cast<std::vector<std::string>*>(data)->push_back(name);
    return 0;
  };
  if (H5Aiterate2(target.get(), H5_INDEX_NAME, H5_ITER_INC, nullptr, on_attr, &names) < 0) {
    fail_hdf5(path_, full, "cannot list the attributes");
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string File::string_attr(const std::string& object, const std::string& name) const {
  const std::string label = attr_label(object, name);
  OpenAttr a = open_attr(id_, path_, object, name);
  if (H5Tget_class(a.type.get()) != H5T_STRING) {
    fail(path_, label, "expected a string, found " + describe_type(a.type.get()));
  }
  if (a.count != 1) {
    fail(path_, label, "expected one string, found " + std::to_string(a.count));
  }
  if (H5Tis_variable_str(a.type.get()) > 0) {
    Id memory = make_vlen_string_type();
    H5Tset_cset(memory.get(), H5Tget_cset(a.type.get()));
    char* text = nullptr;
    if (H5Aread(a.attr.get(), memory.get(), &text) < 0) fail_hdf5(path_, label, "cannot read");
    std::string value = text ? text : "";
    H5free_memory(text);
    return value;
  }
  // Fixed-length: the stored padding decides where the text ends.
  const size_t size = H5Tget_size(a.type.get());
  std::string buffer(size, '\0');
  if (H5Aread(a.attr.get(), a.type.get(), buffer.data()) < 0)
    fail_hdf5(path_, label, "cannot read");
  if (H5Tget_strpad(a.type.get()) == H5T_STR_SPACEPAD) {
    buffer.erase(buffer.find_last_not_of(' ') + 1);
  } else {
    buffer.resize(std::strlen(buffer.c_str()));
  }
  return buffer;
}

std::int64_t File::int_attr(const std::string& object, const std::string& name) const {
  return single(read_numeric_attr<std::int64_t>(id_, path_, object, name), path_, object, name);
}

double File::double_attr(const std::string& object, const std::string& name) const {
  return single(read_numeric_attr<double>(id_, path_, object, name), path_, object, name);
}

std::vector<std::int64_t> File::int_array_attr(const std::string& object,
                                               const std::string& name) const {
  return read_numeric_attr<std::int64_t>(id_, path_, object, name);
}

std::vector<double> File::double_array_attr(const std::string& object,
                                            const std::string& name) const {
  return read_numeric_attr<double>(id_, path_, object, name);
}

std::vector<std::string> File::string_array_attr(const std::string& object,
                                                 const std::string& name) const {
  const std::string label = attr_label(object, name);
  OpenAttr a = open_attr(id_, path_, object, name);
  if (a.count == 0) return {};
  if (H5Tget_class(a.type.get()) != H5T_STRING) {
    fail(path_, label, "expected strings, found " + describe_type(a.type.get()));
  }
  const auto count = static_cast<size_t>(a.count);
  std::vector<std::string> values;
  if (H5Tis_variable_str(a.type.get()) > 0) {
    Id memory = make_vlen_string_type();
    H5Tset_cset(memory.get(), H5Tget_cset(a.type.get()));
    std::vector<char*> texts(count, nullptr);
    if (count > 0 && H5Aread(a.attr.get(), memory.get(), texts.data()) < 0)
      fail_hdf5(path_, label, "cannot read");
    for (char* text : texts) {
      values.emplace_back(text ? text : "");
      H5free_memory(text);
    }
    return values;
  }
  const size_t size = H5Tget_size(a.type.get());
  std::string buffer(size * count, '\0');
  if (count > 0 && H5Aread(a.attr.get(), a.type.get(), buffer.data()) < 0)
    fail_hdf5(path_, label, "cannot read");
  for (size_t i = 0; i < count; ++i) {
    std::string text = buffer.substr(i * size, size);
    if (H5Tget_strpad(a.type.get()) == H5T_STR_SPACEPAD) {
      text.erase(text.find_last_not_of(' ') + 1);
    } else {
      text.resize(std::strlen(text.c_str()));
    }
    values.push_back(std::move(text));
  }
  return values;
}

std::vector<bool> File::bool_array_attr(const std::string& object, const std::string& name) const {
  const std::string label = attr_label(object, name);
  OpenAttr a = open_attr(id_, path_, object, name);
  const H5T_class_t kind = H5Tget_class(a.type.get());
  if (kind != H5T_ENUM && kind != H5T_INTEGER) {
    fail(path_, label, "expected booleans (enum or integer), found " + describe_type(a.type.get()));
  }
  // Read the stored bytes as they are: enum-to-integer conversion is not one HDF5 performs.
  const size_t size = H5Tget_size(a.type.get());
  std::vector<unsigned char> raw(size * static_cast<size_t>(a.count));
  if (!raw.empty() && H5Aread(a.attr.get(), a.type.get(), raw.data()) < 0)
    fail_hdf5(path_, label, "cannot read");
  std::vector<bool> values;
  for (Index i = 0; i < a.count; ++i) {
    const auto* first = raw.data() + static_cast<size_t>(i) * size;
    values.push_back(std::any_of(first, first + size, [](unsigned char b) { return b != 0; }));
  }
  return values;
}

bool File::bool_attr(const std::string& object, const std::string& name) const {
  return single(bool_array_attr(object, name), path_, object, name);
}

}  // namespace pf::h5
