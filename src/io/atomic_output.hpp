// AtomicOutput: write a file under a temporary name and rename it into place only when complete,
// so a run killed mid-write never leaves a half-written output (or destroys the previous one).
#pragma once

#include <string>

namespace pf {

class AtomicOutput {
 public:
  // Creates the parent directories of `final_path` at once, since the temporary file lives
  // beside the final one (same file system, so the rename is atomic).
  explicit AtomicOutput(std::string final_path);
  ~AtomicOutput();  // removes the temporary file unless commit() succeeded

  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  const std::string& final_path() const { return final_path_; }
  const std::string& temp_path() const { return temp_path_; }  // "<final>.tmp-<pid>"
  bool committed() const { return committed_; }

  // Flushes the temporary file to disk and renames it over the final path. The writer must have
  // closed the temporary file. Throws std::system_error naming both paths on failure.
  void commit();

 private:
  std::string final_path_;
  std::string temp_path_;
  bool committed_ = false;
};

}  // namespace pf
