// pf::h5 datasets: writing (with chunking and compression), reading, listing, and tensors.
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
using detail::check_convertible;
using detail::describe_object;
using detail::describe_type;
using detail::extent;
using detail::fail;
using detail::fail_hdf5;
using detail::Id;
using detail::make_bool_type;
using detail::make_parents_lcpl;
using detail::make_space;
using detail::make_vlen_string_type;
using detail::open_dataset;
using detail::open_object;
using detail::TypeOf;

namespace {

Id make_dataset_cpl(const Shape& shape, const WriteOptions& options, const std::string& file,
                    const std::string& object) {
  Id dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  const bool compress = options.shuffle || options.deflate_level > 0;
  if (options.deflate_level < 0 || options.deflate_level > 9) {
    fail(file, object,
         "expected deflate_level in 0..9, found " + std::to_string(options.deflate_level));
  }
  if (!options.chunk.empty() && options.chunk.size() != shape.size()) {
    fail(file, object,
         "expected a chunk of rank " + std::to_string(shape.size()) + " (data shape " +
             to_string(shape) + "), found chunk " + to_string(options.chunk));
  }
  // Scalars and empty datasets cannot be chunked; contiguous storage costs them nothing.
  if (shape.empty() || numel(shape) == 0 || (options.chunk.empty() && !compress)) return dcpl;

  std::vector<hsize_t> chunk(shape.size());
  for (size_t axis = 0; axis < shape.size(); ++axis) {
    const Index asked = options.chunk.empty() ? shape[axis] : options.chunk[axis];
    if (asked <= 0) {
      fail(file, object, "expected positive chunk extents, found " + to_string(options.chunk));
    }
    chunk[axis] = static_cast<hsize_t>(std::min(asked, shape[axis]));
  }
  H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data());
  if (options.shuffle) H5Pset_shuffle(dcpl.get());
  if (options.deflate_level > 0) {
    if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) <= 0) {
      fail(file, object, "expected the HDF5 library to provide deflate, found it missing");
    }
    H5Pset_deflate(dcpl.get(), static_cast<unsigned>(options.deflate_level));
  }
  return dcpl;
}

}  // namespace

// ---- shape and listing ---------------------------------------------------------------------

Shape File::dataset_shape(const std::string& path) const {
  const std::string full = absolute(path);
  Id dataset = open_dataset(id_, path_, full);
  Id space(H5Dget_space(dataset.get()), H5Sclose);
  return extent(space.get(), path_, full);
}

std::vector<std::string> File::list_datasets(const std::string& group_path) const {
  const std::string group_full = absolute(group_path);
  Id group = open_object(id_, path_, group_full, "a group");
  if (H5Iget_type(group.get()) != H5I_GROUP) {
    fail(path_, group_full, "expected a group to list, found " + describe_object(group.get()));
  }
  struct Visit {
    std::string prefix;
    std::vector<std::string> found;
  } visit{group_full == "/" ? "/" : group_full + "/", {}};

  auto on_link = [](hid_t group_id, const char* name, const H5L_info_t* info,
                    void* data) -> herr_t {
    if (info->type != H5L_TYPE_HARD) return 0;  // soft and external links are not followed
    hid_t object = H5Oopen(group_id, name, H5P_DEFAULT);
    if (object < 0) return -1;
    const bool is_dataset = H5Iget_type(object) == H5I_DATASET;
    H5Oclose(object);
    auto* visit = static_cast<Visit*>(data);
    if (is_dataset) visit->found.push_back(visit->prefix + name);
    return 0;
  };
  if (H5Lvisit(group.get(), H5_INDEX_NAME, H5_ITER_INC, on_link, &visit) < 0) {
    fail_hdf5(path_, group_full, "cannot list the datasets of this group");
  }
  std::sort(visit.found.begin(), visit.found.end());
  return visit.found;
}

// ---- datasets ------------------------------------------------------------------------------

namespace {

// Creates (or replaces) the dataset at `full`, parents included, with elements of `stored_type`.
Id create_typed_dataset(const File& owner, hid_t file_id, const std::string& full,
                        hid_t stored_type, const Shape& shape, const WriteOptions& options) {
  const std::string& file = owner.path();
  for (Index d : shape) {
    if (d < 0) fail(file, full, "expected non-negative extents, found shape " + to_string(shape));
  }
  // Replacing unlinks the old dataset; HDF5 does not reclaim its space until the file is repacked.
  if (owner.exists(full) && H5Ldelete(file_id, full.c_str(), H5P_DEFAULT) < 0) {
    fail_hdf5(file, full, "cannot replace the existing object");
  }
  Id space = make_space(shape);
  Id dcpl = make_dataset_cpl(shape, options, file, full);
  Id lcpl = make_parents_lcpl();
  Id dataset(H5Dcreate2(file_id, full.c_str(), stored_type, space.get(), lcpl.get(), dcpl.get(),
                        H5P_DEFAULT),
             H5Dclose);
  if (!dataset.valid()) fail_hdf5(file, full, "cannot create the dataset");
  return dataset;
}

}  // namespace

template <class T>
void File::create_dataset(const std::string& path, const Shape& shape,
                          const WriteOptions& options) {
  create_typed_dataset(*this, id_, absolute(path), TypeOf<T>::file(), shape, options);
}

template <class T>
void File::write(const std::string& path, const T* values, const Shape& shape,
                 const WriteOptions& options) {
  const std::string full = absolute(path);
  if (values == nullptr && numel(shape) > 0) {
    fail(path_, full, "expected data for shape " + to_string(shape) + ", found a null pointer");
  }
  create_dataset<T>(full, shape, options);
  if (numel(shape) == 0) return;
  Id dataset = open_dataset(id_, path_, full);
  if (H5Dwrite(dataset.get(), TypeOf<T>::memory(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values) < 0) {
    fail_hdf5(path_, full, "cannot write the dataset");
  }
}

template <class T>
void File::write(const std::string& path, const std::vector<T>& values, const Shape& shape,
                 const WriteOptions& options) {
  if (static_cast<Index>(values.size()) != numel(shape)) {
    fail(path_, absolute(path),
         "expected " + std::to_string(numel(shape)) + " values for shape " + to_string(shape) +
             ", found " + std::to_string(values.size()));
  }
  write(path, values.data(), shape, options);
}

template <class T>
HostArray<T> File::read(const std::string& path) const {
  const std::string full = absolute(path);
  Id dataset = open_dataset(id_, path_, full);
  Id stored(H5Dget_type(dataset.get()), H5Tclose);
  check_convertible(stored.get(), std::is_integral_v<T>, TypeOf<T>::name, path_, full);
  Id space(H5Dget_space(dataset.get()), H5Sclose);
  HostArray<T> out;
  out.shape = extent(space.get(), path_, full);
  out.values.resize(static_cast<size_t>(numel(out.shape)));
  if (!out.values.empty() && H5Dread(dataset.get(), TypeOf<T>::memory(), H5S_ALL, H5S_ALL,
                                     H5P_DEFAULT, out.values.data()) < 0) {
    fail_hdf5(path_, full,
              std::string("cannot read the dataset as ") + TypeOf<T>::name + " (stored as " +
                  describe_type(stored.get()) + ")");
  }
  return out;
}

// ---- strings -------------------------------------------------------------------------------

void File::write_strings(const std::string& path, const std::vector<std::string>& values) {
  const std::string full = absolute(path);
  Id type = make_vlen_string_type();
  Id dataset = create_typed_dataset(*this, id_, full, type.get(),
                                    Shape{static_cast<Index>(values.size())}, {});
  if (values.empty()) return;
  std::vector<const char*> texts;
  texts.reserve(values.size());
  for (const auto& v : values)
    texts.push_back(v.c_str());
  if (H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()) < 0) {
    fail_hdf5(path_, full, "cannot write the dataset");
  }
}

std::vector<std::string> File::read_strings(const std::string& path) const {
  const std::string full = absolute(path);
  Id dataset = open_dataset(id_, path_, full);
  Id stored(H5Dget_type(dataset.get()), H5Tclose);
  if (H5Tget_class(stored.get()) != H5T_STRING) {
    fail(path_, full, "expected strings, found " + describe_type(stored.get()));
  }
  Id space(H5Dget_space(dataset.get()), H5Sclose);
  const Shape shape = extent(space.get(), path_, full);
  if (shape.size() != 1) {
    fail(path_, full, "expected a 1-D array of strings, found shape " + to_string(shape));
  }
  const auto count = static_cast<size_t>(shape[0]);
  std::vector<std::string> values;
  if (count == 0) return values;
  if (H5Tis_variable_str(stored.get()) > 0) {
    Id memory = make_vlen_string_type();
    H5Tset_cset(memory.get(), H5Tget_cset(stored.get()));
    std::vector<char*> texts(count, nullptr);
    if (H5Dread(dataset.get(), memory.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()) < 0) {
      fail_hdf5(path_, full, "cannot read the strings");
    }
    for (char* text : texts) {
      values.emplace_back(text ? text : "");
      H5free_memory(text);
    }
    return values;
  }
  const size_t size = H5Tget_size(stored.get());
  std::string buffer(size * count, '\0');
  if (H5Dread(dataset.get(), stored.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()) < 0) {
    fail_hdf5(path_, full, "cannot read the strings");
  }
  for (size_t i = 0; i < count; ++i) {
    std::string text = buffer.substr(i * size, size);
    if (H5Tget_strpad(stored.get()) == H5T_STR_SPACEPAD) {
      text.erase(text.find_last_not_of(' ') + 1);
    } else {
      text.resize(std::strlen(text.c_str()));
    }
    values.push_back(std::move(text));
  }
  return values;
}

// ---- booleans and element classes ----------------------------------------------------------

void File::write_bool(const std::string& path, const std::vector<bool>& values, const Shape& shape,
                      const WriteOptions& options) {
  const std::string full = absolute(path);
  if (static_cast<Index>(values.size()) != numel(shape)) {
    fail(path_, full,
         "expected " + std::to_string(numel(shape)) + " booleans for shape " + to_string(shape) +
             ", found " + std::to_string(values.size()));
  }
  Id type = make_bool_type();
  Id dataset = create_typed_dataset(*this, id_, full, type.get(), shape, options);
  if (values.empty()) return;
  const std::vector<std::int8_t> stored(values.begin(), values.end());
  if (H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, stored.data()) < 0) {
    fail_hdf5(path_, full, "cannot write the dataset");
  }
}

HostArray<std::uint8_t> File::read_bool(const std::string& path) const {
  const std::string full = absolute(path);
  Id dataset = open_dataset(id_, path_, full);
  Id stored(H5Dget_type(dataset.get()), H5Tclose);
  const H5T_class_t kind = H5Tget_class(stored.get());
  if (kind != H5T_ENUM && kind != H5T_INTEGER) {
    fail(path_, full, "expected booleans (enum or integer), found " + describe_type(stored.get()));
  }
  Id space(H5Dget_space(dataset.get()), H5Sclose);
  HostArray<std::uint8_t> out;
  out.shape = extent(space.get(), path_, full);
  const auto count = static_cast<size_t>(numel(out.shape));
  // The stored bytes as they are: HDF5 converts no enum to an integer.
  const size_t size = H5Tget_size(stored.get());
  std::vector<unsigned char> raw(size * count);
  if (!raw.empty() &&
      H5Dread(dataset.get(), stored.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()) < 0) {
    fail_hdf5(path_, full, "cannot read the dataset as booleans");
  }
  out.values.resize(count);
  for (size_t i = 0; i < count; ++i) {
    const unsigned char* first = raw.data() + i * size;
    out.values[i] = std::any_of(first, first + size, [](unsigned char b) { return b != 0; });
  }
  return out;
}

ElementClass File::element_class(const std::string& dataset_path) const {
  const std::string full = absolute(dataset_path);
  Id dataset = open_dataset(id_, path_, full);
  Id stored(H5Dget_type(dataset.get()), H5Tclose);
  switch (H5Tget_class(stored.get())) {
    case H5T_INTEGER:
      return ElementClass::Integer;
    case H5T_FLOAT:
      return ElementClass::Float;
    case H5T_STRING:
      return ElementClass::String;
    case H5T_ENUM:
      return ElementClass::Enum;
    default:
      return ElementClass::Other;
  }
}

#define PF_H5_INSTANTIATE(T)                                                                     \
  template void File::create_dataset<T>(const std::string&, const Shape&, const WriteOptions&);  \
  template void File::write<T>(const std::string&, const T*, const Shape&, const WriteOptions&); \
  template void File::write<T>(const std::string&, const std::vector<T>&, const Shape&,          \
                               const WriteOptions&);                                             \
  template HostArray<T> File::read<T>(const std::string&) const;
PF_H5_INSTANTIATE(float)
PF_H5_INSTANTIATE(double)
PF_H5_INSTANTIATE(std::int64_t)
PF_H5_INSTANTIATE(std::uint64_t)
PF_H5_INSTANTIATE(std::uint8_t)
#undef PF_H5_INSTANTIATE

// ---- tensors -------------------------------------------------------------------------------

void write_tensor(File& file, const std::string& path, const Tensor<float>& tensor,
                  const WriteOptions& options) {
  if (!tensor.defined()) {
    fail(file.path(), absolute(path), "expected a tensor to write, found an undefined tensor");
  }
  file.write(path, tensor.to_host(), tensor.shape(), options);
}

Tensor<float> read_tensor(const File& file, const std::string& path) {
  HostArray<float> array = file.read<float>(path);
  return Tensor<float>::from_host(array.shape, array.values);
}

}  // namespace pf::h5
