// pf::h5 partial I/O: datasets created empty and filled or read one box (e.g. one frame) at a time.
#include "io/hdf5.hpp"

#include "io/detail/hdf5_handles.hpp"

#include <hdf5.h>

#include <string>
#include <type_traits>
#include <vector>

namespace pf::h5 {

using detail::absolute;
using detail::check_convertible;
using detail::describe_object;
using detail::extent;
using detail::fail;
using detail::fail_hdf5;
using detail::Id;
using detail::make_space;
using detail::open_dataset;
using detail::open_object;
using detail::TypeOf;

namespace {

// Selects [offset, offset + count) in the dataset's space after checking it lies inside.
Id select_box(hid_t dataset, const Shape& offset, const Shape& count, const std::string& file,
              const std::string& path) {
  Id space(H5Dget_space(dataset), H5Sclose);
  const Shape shape = extent(space.get(), file, path);
  if (offset.size() != shape.size() || count.size() != shape.size()) {
    fail(file, path,
         "expected a box of rank " + std::to_string(shape.size()) + " (dataset shape " +
             to_string(shape) + "), found offset " + to_string(offset) + " and count " +
             to_string(count));
  }
  for (size_t axis = 0; axis < shape.size(); ++axis) {
    if (offset[axis] < 0 || count[axis] < 0 || offset[axis] + count[axis] > shape[axis]) {
      fail(file, path,
           "expected a box inside shape " + to_string(shape) + ", found offset " +
               to_string(offset) + " count " + to_string(count));
    }
  }
  const std::vector<hsize_t> start(offset.begin(), offset.end()),
      extent_(count.begin(), count.end());
  if (!shape.empty() && H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr,
                                            extent_.data(), nullptr) < 0) {
    fail_hdf5(file, path, "cannot select the box");
  }
  return space;
}

}  // namespace

template <class T>
void File::write_slab(const std::string& path, const Shape& offset, const Shape& count,
                      const T* values) {
  const std::string full = absolute(path);
  Id dataset = open_dataset(id_, path_, full);
  Id file_space = select_box(dataset.get(), offset, count, path_, full);
  if (numel(count) == 0) return;
  if (values == nullptr) fail(path_, full, "expected data to write, found a null pointer");
  Id memory_space = make_space(count);
  if (H5Dwrite(dataset.get(), TypeOf<T>::memory(), memory_space.get(), file_space.get(),
               H5P_DEFAULT, values) < 0) {
    fail_hdf5(path_, full, "cannot write the box at offset " + to_string(offset));
  }
}

template <class T>
void File::read_slab(const std::string& path, const Shape& offset, const Shape& count,
                     T* values) const {
  const std::string full = absolute(path);
  Id dataset = open_dataset(id_, path_, full);
  Id stored(H5Dget_type(dataset.get()), H5Tclose);
  check_convertible(stored.get(), std::is_integral_v<T>, TypeOf<T>::name, path_, full);
  Id file_space = select_box(dataset.get(), offset, count, path_, full);
  if (numel(count) == 0) return;
  Id memory_space = make_space(count);
  if (H5Dread(dataset.get(), TypeOf<T>::memory(), memory_space.get(), file_space.get(), H5P_DEFAULT,
              values) < 0) {
    fail_hdf5(path_, full, "cannot read the box at offset " + to_string(offset));
  }
}

#define PF_H5_INSTANTIATE(T)                                                                   \
  template void File::write_slab<T>(const std::string&, const Shape&, const Shape&, const T*); \
  template void File::read_slab<T>(const std::string&, const Shape&, const Shape&, T*) const;
PF_H5_INSTANTIATE(float)
PF_H5_INSTANTIATE(double)
PF_H5_INSTANTIATE(std::int64_t)
PF_H5_INSTANTIATE(std::uint64_t)
PF_H5_INSTANTIATE(std::uint8_t)
#undef PF_H5_INSTANTIATE

}  // namespace pf::h5
