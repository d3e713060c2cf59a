#include "io/hdf5_atomic.hpp"

#include "io/atomic_output.hpp"

namespace pf::h5 {

void write_file_atomically(const std::string& path, const std::function<void(File&)>& fill) {
  AtomicOutput out(path);
  {
    File f = File::create(out.temp_path());
    fill(f);
    f.close();
  }
  out.commit();
}

}  // namespace pf::h5
