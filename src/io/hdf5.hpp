// pf::h5: a small RAII layer over the HDF5 C API for checkpoints, datasets and outputs.
// Every failure becomes a pf::InputError naming the file, the object path, what was expected and
// what was found; HDF5's own error-stack printing is switched off so nothing leaks to stderr.
#pragma once

#include "core/types.hpp"
#include "tensor/tensor.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace pf::h5 {

// Dataset element types supported by File::write / File::read: float, double, std::int64_t,
// std::uint64_t, std::uint8_t.

// What a dataset's elements are, as stored (File::read converts numbers, so it cannot tell).
// Enum is h5py's bool among others.
enum class ElementClass { Integer, Float, String, Enum, Other };

// Values read from a dataset, row-major; rank 0 (a scalar dataset) has an empty shape.
template <class T>
struct HostArray {
  Shape shape;
  std::vector<T> values;
};

struct WriteOptions {
  // Chunk extent per axis (same rank as the data); empty means contiguous storage, unless
  // compression is asked for, which needs chunks: then the whole dataset is one chunk.
  // Chunk extents larger than the data are clamped to it.
  Shape chunk;
  bool shuffle = false;   // byte shuffle before deflate: floats compress far better
  int deflate_level = 0;  // 0 = off, 1..9 = gzip level
};

class File {
 public:
  static File create(const std::string& path);     // truncates an existing file
  static File open_read(const std::string& path);  // read only
  static File open_rw(const std::string& path);    // read and write, must exist

  File(File&& other) noexcept;
  File& operator=(File&& other) noexcept;
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  ~File();  // closes without throwing; call close() to see flush errors

  void close();
  bool is_open() const { return id_ >= 0; }
  const std::string& path() const { return path_; }

  // Datasets. `path` is absolute ("/params/blocks.0.w"); a leading "/" may be left out.
  // Missing intermediate groups are created; an existing dataset at `path` is replaced.
  template <class T>
  void write(const std::string& path, const T* values, const Shape& shape,
             const WriteOptions& options = {});
  template <class T>
  void write(const std::string& path, const std::vector<T>& values, const Shape& shape,
             const WriteOptions& options = {});

  // Reads any numeric dataset, converted by HDF5 to T (float64 -> float works). Integer T refuses
  // floating-point data, since that conversion silently truncates.
  template <class T>
  HostArray<T> read(const std::string& path) const;

  // Boolean datasets as h5py stores numpy bool arrays (an int8 enum FALSE/TRUE), so Python
  // readers see bools. Reading accepts those or integers; values are 0 or 1 (nonzero is 1).
  void write_bool(const std::string& path, const std::vector<bool>& values, const Shape& shape,
                  const WriteOptions& options = {});
  HostArray<std::uint8_t> read_bool(const std::string& path) const;

  ElementClass element_class(const std::string& dataset_path) const;

  // 1-D string datasets (ids, names): written variable-length UTF-8 as h5py writes `str`
  // arrays; reading accepts those and fixed-length strings.
  void write_strings(const std::string& path, const std::vector<std::string>& values);
  std::vector<std::string> read_strings(const std::string& path) const;

  // Partial I/O for datasets too large to hold (one frame of a trajectory array): create the
  // dataset (zero-filled, chunked as `options` says), then write or read the box
  // [offset, offset + count), `values` row-major over `count`.
  template <class T>
  void create_dataset(const std::string& path, const Shape& shape,
                      const WriteOptions& options = {});
  template <class T>
  void write_slab(const std::string& path, const Shape& offset, const Shape& count,
                  const T* values);
  template <class T>
  void read_slab(const std::string& path, const Shape& offset, const Shape& count, T* values) const;

  bool exists(const std::string& path) const;
  Shape dataset_shape(const std::string& path) const;
  // Full paths of every dataset below `group_path`, recursively, sorted.
  std::vector<std::string> list_datasets(const std::string& group_path = "/") const;
  void ensure_group(const std::string& path);  // creates it and its parents if missing

  // Attributes on any object ("/" included). A setter replaces an attribute of the same name.
  // Strings are written variable-length UTF-8 (no 64 KiB header limit); fixed-length strings,
  // as other writers produce, are read too. Array setters accept empty lists, written as h5py
  // writes them (a zero-length 1-D dataspace of the element type).
  void set_string_attr(const std::string& object, const std::string& name,
                       const std::string& value);
  void set_int_attr(const std::string& object, const std::string& name, std::int64_t value);
  void set_double_attr(const std::string& object, const std::string& name, double value);
  void set_int_array_attr(const std::string& object, const std::string& name,
                          const std::vector<std::int64_t>& values);
  void set_double_array_attr(const std::string& object, const std::string& name,
                             const std::vector<double>& values);

  void set_string_array_attr(const std::string& object, const std::string& name,
                             const std::vector<std::string>& values);
  // Booleans as h5py stores numpy bools (an int8 enum FALSE/TRUE), so Python readers see bools.
  void set_bool_attr(const std::string& object, const std::string& name, bool value);
  void set_bool_array_attr(const std::string& object, const std::string& name,
                           const std::vector<bool>& values);

  bool has_attr(const std::string& object, const std::string& name) const;
  std::vector<std::string> attr_names(const std::string& object) const;  // sorted
  std::string string_attr(const std::string& object, const std::string& name) const;
  std::int64_t int_attr(const std::string& object, const std::string& name) const;
  double double_attr(const std::string& object, const std::string& name) const;  // ints convert
  std::vector<std::int64_t> int_array_attr(const std::string& object,
                                           const std::string& name) const;
  std::vector<double> double_array_attr(const std::string& object, const std::string& name) const;
  // A string array (variable or fixed length); a single string reads as one element. An
  // attribute holding no elements reads as an empty list whatever its type, since h5py writes
  // `attrs["names"] = []` as an empty float64 array.
  std::vector<std::string> string_array_attr(const std::string& object,
                                             const std::string& name) const;
  // Enum (h5py's bool) or integer attributes; nonzero is true.
  bool bool_attr(const std::string& object, const std::string& name) const;
  std::vector<bool> bool_array_attr(const std::string& object, const std::string& name) const;

 private:
  File(std::int64_t id, std::string path) : id_(id), path_(std::move(path)) {}
  std::int64_t id_ = -1;  // hid_t
  std::string path_;
};

// Tensors travel through host memory; any numeric dataset reads back as float.
void write_tensor(File& file, const std::string& path, const Tensor<float>& tensor,
                  const WriteOptions& options = {});
Tensor<float> read_tensor(const File& file, const std::string& path);

}  // namespace pf::h5
