// Handles, error reporting and type mapping shared by the pf::h5 implementation files (not part
// of the public API: it exposes the HDF5 C headers, which hdf5.hpp keeps out of its users).
#pragma once

#include "core/types.hpp"

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <utility>

namespace pf::h5::detail {

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
void silence_hdf5_errors();

[[noreturn]] void fail(const std::string& file, const std::string& object,
                       const std::string& problem);

// For failures whose reason only HDF5 knows (I/O errors, corrupt files).
[[noreturn]] void fail_hdf5(const std::string& file, const std::string& object,
                            const std::string& action);

std::string absolute(const std::string& path);
std::string attr_label(const std::string& object, const std::string& name);
std::string describe_type(hid_t type);
std::string describe_object(hid_t object);

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
                       const std::string& file, const std::string& object);

Shape extent(hid_t space, const std::string& file, const std::string& object);
Id make_space(const Shape& shape);

// h5py's bool: an int8 enum FALSE = 0, TRUE = 1 (stored and in memory alike).
Id make_bool_type();

// Variable-length UTF-8 strings, as h5py writes `str`.
Id make_vlen_string_type();

// Property list that makes link creation build missing parent groups ("mkdir -p").
Id make_parents_lcpl();

Id open_object(hid_t file_id, const std::string& file, const std::string& object,
               const std::string& role);
// open_object that also insists the object is a dataset.
Id open_dataset(hid_t file_id, const std::string& file, const std::string& path);

}  // namespace pf::h5::detail
