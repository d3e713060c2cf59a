// An HDF5 output written whole or not at all.
#pragma once

#include "io/hdf5.hpp"

#include <functional>
#include <string>

namespace pf::h5 {

// Creates the file under a temporary name beside `path` (AtomicOutput), lets `fill` write it,
// closes it (so flush errors surface) and renames it into place. If anything throws, the
// temporary is removed and a file already at `path` is left as it was.
void write_file_atomically(const std::string& path, const std::function<void(File&)>& fill);

}  // namespace pf::h5
