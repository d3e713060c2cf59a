// pf::h5 files: opening and closing, error reporting, object lookup and groups.
#include "io/hdf5.hpp"

#include "core/error.hpp"
#include "io/detail/hdf5_handles.hpp"

#include <hdf5.h>

#include <filesystem>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace pf::h5 {

static_assert(std::is_same_v<hid_t, std::int64_t>, "File stores hid_t as std::int64_t");

namespace detail {

namespace {

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

}  // namespace

void silence_hdf5_errors() {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

[[noreturn]] void fail(const std::string& file, const std::string& object,
                       const std::string& problem) {
  throw InputError(file + ": " + object + ": " + problem);
}

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

Id make_bool_type() {
  Id type(H5Tenum_create(H5T_NATIVE_INT8), H5Tclose);
  const std::int8_t no = 0, yes = 1;
  H5Tenum_insert(type.get(), "FALSE", &no);
  H5Tenum_insert(type.get(), "TRUE", &yes);
  return type;
}

Id make_vlen_string_type() {
  Id type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  return type;
}

Id make_parents_lcpl() {
  Id lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
  H5Pset_create_intermediate_group(lcpl.get(), 1);
  return lcpl;
}

Id open_object(hid_t file_id, const std::string& file, const std::string& object,
               const std::string& role) {
  const hid_t id = H5Oopen(file_id, object.c_str(), H5P_DEFAULT);
  if (id < 0) {
    H5Eclear2(H5E_DEFAULT);
    fail(file, object, "expected " + role + ", found nothing at this path");
  }
  return Id(id, H5Oclose);
}

Id open_dataset(hid_t file_id, const std::string& file, const std::string& path) {
  Id object = open_object(file_id, file, path, "a dataset");
  if (H5Iget_type(object.get()) != H5I_DATASET) {
    fail(file, path, "expected a dataset, found " + describe_object(object.get()));
  }
  return object;
}

}  // namespace detail

using detail::absolute;
using detail::describe_object;
using detail::fail;
using detail::fail_hdf5;
using detail::Id;
using detail::make_parents_lcpl;
using detail::open_object;
using detail::silence_hdf5_errors;

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

// ---- object lookup and groups --------------------------------------------------------------

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

}  // namespace pf::h5
