// Where a training run writes, and whether it continues the one already there.
#pragma once

#include <string>

namespace pf {

struct RunOptions {
  std::string output_dir;
  bool resume = false;
};

}  // namespace pf
