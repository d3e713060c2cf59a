#include "io/hdf5.hpp"

#include "core/error.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <type_traits>
#include <utility>

namespace pf::h5 {

static_assert(std::is_same_v<hid_t, std::int64_t>, "File stores hid_t as std::int64_t");

namespace {

// One HDF5 identifier, closed with the function matching its kind.
class Id {
 public:
  using Closer = herr_t (*)(hid_t);
  Id() = default;
  Id(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Id(Id&& other) noexcept : id_(std::exchange(other.id_, -1)), closer_(other.closer_) {}
  Id& operator=(Id&& other) noexcept {
    std::swap(id_, other.id_);
    std::swap(closer_, other.closer_);
    return *this;
  }
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  ~Id() {
    if (id_ >= 0 && closer_) closer_(id_);
  }
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }

 private:
  hid_t id_ = -1;
  Closer closer_ = nullptr;
};

// HDF5 prints its error stack to stderr by default; we report through exceptions instead.
void silence_hdf5_errors() {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

// The innermost message on HDF5's error stack (the actual cause, e.g. "truncated file").
std::string hdf5_cause() {
  std::string cause;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned n, const H5E_error2_t* err, void* out) -> herr_t {
        if (n == 0 && err->desc) *static_cast<std::string*>(out) = err->desc;
        return 0;
      },
      &cause);
  H5Eclear2(H5E_DEFAULT);
  return cause;
}

[[noreturn]] void fail(const std::string& file, const std::string& object,
                       const std::string& problem) {
  throw InputError(file + ": " + object + ": " + problem);
}

// For failures whose reason only HDF5 knows (I/O errors, corrupt files).
[[noreturn]] void fail_hdf5(const std::string& file, const std::string& object,
                            const std::string& action) {
  std::string cause = hdf5_cause();
  fail(file, object, action + (cause.empty() ? "" : " (HDF5: " + cause + ")"));
}

std::string absolute(const std::string& path) {
  if (path.empty()) return "/";
  return path.front() == '/' ? path : "/" + path;
}

std::string attr_label(const std::string& object, const std::string& name) {
  return "attribute \"" + name + "\" on " + absolute(object);
}

std::string describe_type(hid_t type) {
  const size_t bits = H5Tget_size(type) * 8;
  switch (H5Tget_class(type)) {
    case H5T_INTEGER:
      return (H5Tget_sign(type) == H5T_SGN_NONE ? "uint" : "int") + std::to_string(bits);
    case H5T_FLOAT:
      return "float" + std::to_string(bits);
    case H5T_STRING:
      return "string";
    case H5T_COMPOUND:
      return "compound";
    case H5T_ENUM:
      return "enum";
    case H5T_ARRAY:
      return "array";
    case H5T_VLEN:
      return "variable-length sequence";
    default:
      return "an unsupported type";
  }
}

template <class T>
struct TypeOf;
template <>
struct TypeOf<float> {
  static hid_t memory() { return H5T_NATIVE_FLOAT; }
  static hid_t file() { return H5T_IEEE_F32LE; }
  static constexpr const char* name = "float32";
};
template <>
struct TypeOf<double> {
  static hid_t memory() { return H5T_NATIVE_DOUBLE; }
  static hid_t file() { return H5T_IEEE_F64LE; }
  static constexpr const char* name = "float64";
};
template <>
struct TypeOf<std::int64_t> {
  static hid_t memory() { return H5T_NATIVE_INT64; }
  static hid_t file() { return H5T_STD_I64LE; }
  static constexpr const char* name = "int64";
};
template <>
struct TypeOf<std::uint64_t> {
  static hid_t memory() { return H5T_NATIVE_UINT64; }
  static hid_t file() { return H5T_STD_U64LE; }
  static constexpr const char* name = "uint64";
};
template <>
struct TypeOf<std::uint8_t> {
  static hid_t memory() { return H5T_NATIVE_UINT8; }
  static hid_t file() { return H5T_STD_U8LE; }
  static constexpr const char* name = "uint8";
};

// Numeric data converts to T through HDF5, except floating point into integers (truncation).
void check_convertible(hid_t stored, bool want_integer, const char* want_name,
                       const std::string& file, const std::string& object) {
  const H5T_class_t cls = H5Tget_class(stored);
  const bool numeric = cls == H5T_INTEGER || cls == H5T_FLOAT;
  if (!numeric || (want_integer && cls == H5T_FLOAT)) {
    fail(file, object,
         std::string("expected ") + (want_integer ? "integer" : "numeric") + " data to read as " +
             want_name + ", found " + describe_type(stored));
  }
}

Shape extent(hid_t space, const std::string& file, const std::string& object) {
  if (H5Sget_simple_extent_type(space) == H5S_NULL) {
    fail(file, object, "expected data, found an empty (null) dataspace");
  }
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank < 0) fail_hdf5(file, object, "cannot read the dataspace");
  std::vector<hsize_t> dims(rank);
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  return Shape(dims.begin(), dims.end());
}

Id make_space(const Shape& shape) {
  if (shape.empty()) return Id(H5Screate(H5S_SCALAR), H5Sclose);
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  return Id(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
}

Id make_vlen_string_type() {
  Id type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  return type;
}

// Property list that makes link creation build missing parent groups ("mkdir -p").
Id make_parents_lcpl() {
  Id lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
  H5Pset_create_intermediate_group(lcpl.get(), 1);
  return lcpl;
}

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

// ---- opening and closing -------------------------------------------------------------------

namespace {

Id make_fapl() {
  Id fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  // Closing the file closes anything still open inside it, so the file is really released
  // (and can be renamed) once File is gone.
  H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG);
  return fapl;
}

void check_readable_hdf5(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) fail(path, "/", "expected an HDF5 file, found no file");
  if (std::filesystem::is_directory(path, ec)) {
    fail(path, "/", "expected an HDF5 file, found a directory");
  }
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    fail(path, "/",
         "expected an HDF5 file, found a file without the HDF5 signature (another format, or "
         "truncated)");
  }
}

}  // namespace

File File::create(const std::string& path) {
  silence_hdf5_errors();
  Id fapl = make_fapl();
  hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get());
  if (id < 0) fail_hdf5(path, "/", "cannot create the HDF5 file");
  return File(id, path);
}

File File::open_read(const std::string& path) {
  silence_hdf5_errors();
  check_readable_hdf5(path);
  Id fapl = make_fapl();
  hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get());
  if (id < 0) fail_hdf5(path, "/", "cannot open the HDF5 file for reading");
  return File(id, path);
}

File File::open_rw(const std::string& path) {
  silence_hdf5_errors();
  check_readable_hdf5(path);
  Id fapl = make_fapl();
  hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDWR, fapl.get());
  if (id < 0) fail_hdf5(path, "/", "cannot open the HDF5 file for writing");
  return File(id, path);
}

File::File(File&& other) noexcept
    : id_(std::exchange(other.id_, -1)), path_(std::move(other.path_)) {}

File& File::operator=(File&& other) noexcept {
  std::swap(id_, other.id_);
  std::swap(path_, other.path_);
  return *this;
}

File::~File() {
  if (id_ >= 0) H5Fclose(id_);
}

void File::close() {
  if (id_ < 0) return;
  const herr_t status = H5Fclose(std::exchange(id_, -1));
  if (status < 0) fail_hdf5(path_, "/", "cannot close (flush) the HDF5 file");
}

// ---- object lookup -------------------------------------------------------------------------

namespace {

Id open_object(hid_t file_id, const std::string& file, const std::string& object,
               const std::string& role) {
  const hid_t id = H5Oopen(file_id, object.c_str(), H5P_DEFAULT);
  if (id < 0) {
    H5Eclear2(H5E_DEFAULT);
    fail(file, object, "expected " + role + ", found nothing at this path");
  }
  return Id(id, H5Oclose);
}

std::string describe_object(hid_t object) {
  switch (H5Iget_type(object)) {
    case H5I_DATASET:
      return "a dataset";
    case H5I_GROUP:
      return "a group";
    case H5I_DATATYPE:
      return "a named datatype";
    default:
      return "an unknown object";
  }
}

Id open_dataset(hid_t file_id, const std::string& file, const std::string& path) {
  Id object = open_object(file_id, file, path, "a dataset");
  if (H5Iget_type(object.get()) != H5I_DATASET) {
    fail(file, path, "expected a dataset, found " + describe_object(object.get()));
  }
  return object;
}

}  // namespace

bool File::exists(const std::string& path) const {
  const std::string full = absolute(path);
  if (full == "/") return true;
  // H5Lexists needs every parent to exist, so walk the path one component at a time.
  size_t end = 0;
  while (end != std::string::npos) {
    end = full.find('/', end + 1);
    const std::string prefix = full.substr(0, end);
    if (prefix.size() <= 1 || prefix.back() == '/') continue;
    if (H5Lexists(id_, prefix.c_str(), H5P_DEFAULT) <= 0) {
      H5Eclear2(H5E_DEFAULT);
      return false;
    }
  }
  const htri_t resolves = H5Oexists_by_name(id_, full.c_str(), H5P_DEFAULT);  // dangling links
  H5Eclear2(H5E_DEFAULT);
  return resolves > 0;
}

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

void File::ensure_group(const std::string& path) {
  const std::string full = absolute(path);
  if (exists(full)) {
    Id object = open_object(id_, path_, full, "a group");
    if (H5Iget_type(object.get()) != H5I_GROUP) {
      fail(path_, full, "expected a group, found " + describe_object(object.get()));
    }
    return;
  }
  Id lcpl = make_parents_lcpl();
  Id group(H5Gcreate2(id_, full.c_str(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
  if (!group.valid()) fail_hdf5(path_, full, "cannot create the group");
}

// ---- datasets ------------------------------------------------------------------------------

template <class T>
void File::write(const std::string& path, const T* values, const Shape& shape,
                 const WriteOptions& options) {
  const std::string full = absolute(path);
  for (Index d : shape) {
    if (d < 0) fail(path_, full, "expected non-negative extents, found shape " + to_string(shape));
  }
  if (values == nullptr && numel(shape) > 0) {
    fail(path_, full, "expected data for shape " + to_string(shape) + ", found a null pointer");
  }
  // Replacing unlinks the old dataset; HDF5 does not reclaim its space until the file is repacked.
  if (exists(full) && H5Ldelete(id_, full.c_str(), H5P_DEFAULT) < 0) {
    fail_hdf5(path_, full, "cannot replace the existing object");
  }
  Id space = make_space(shape);
  Id dcpl = make_dataset_cpl(shape, options, path_, full);
  Id lcpl = make_parents_lcpl();
  Id dataset(H5Dcreate2(id_, full.c_str(), TypeOf<T>::file(), space.get(), lcpl.get(), dcpl.get(),
                        H5P_DEFAULT),
             H5Dclose);
  if (!dataset.valid()) fail_hdf5(path_, full, "cannot create the dataset");
  if (numel(shape) > 0 &&
      H5Dwrite(dataset.get(), TypeOf<T>::memory(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values) < 0) {
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

#define PF_H5_INSTANTIATE(T)                                                                     \
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

// ---- attributes ----------------------------------------------------------------------------

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
  if (H5Awrite(attr.get(), memory_type, data) < 0) {
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
