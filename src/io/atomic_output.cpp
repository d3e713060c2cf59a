#include "io/atomic_output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <system_error>

namespace pf {

namespace {

[[noreturn]] void fail_errno(int error, const std::string& what) {
  throw std::system_error(error, std::generic_category(), what);
}

std::filesystem::path parent_of(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? std::filesystem::path(".") : parent;
}

void create_parent_directories(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(parent_of(path), ec);
  if (ec) fail_errno(ec.value(), path + ": cannot create the parent directory");
}

// fsync on a path: the file's data before the rename, the directory entry after it.
void sync_path(const std::string& path, int flags, const std::string& context) {
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) fail_errno(errno, context + ": cannot open " + path + " to flush it");
  const int status = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (status != 0) fail_errno(error, context + ": cannot flush " + path + " to disk");
}

}  // namespace

AtomicOutput::AtomicOutput(std::string final_path)
    : final_path_(std::move(final_path)),
      temp_path_(final_path_ + ".tmp-" + std::to_string(::getpid())) {
  create_parent_directories(final_path_);
}

AtomicOutput::~AtomicOutput() {
  if (committed_) return;
  std::error_code ignored;  // a destructor cannot report; the file may never have been created
  std::filesystem::remove(temp_path_, ignored);
}

void AtomicOutput::commit() {
  if (committed_) return;
  const std::string context = final_path_;
  sync_path(temp_path_, O_RDONLY, context);
  create_parent_directories(final_path_);  // in case something removed it while writing
  if (std::rename(temp_path_.c_str(), final_path_.c_str()) != 0) {
    fail_errno(errno, context + ": cannot rename " + temp_path_ + " into place");
  }
  committed_ = true;
  // Make the rename itself durable; failing here does not undo a completed rename.
  try {
    sync_path(parent_of(final_path_).string(), O_RDONLY | O_DIRECTORY, context);
  } catch (const std::system_error&) {
  }
}

}  // namespace pf
