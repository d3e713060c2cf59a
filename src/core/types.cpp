#include "core/types.hpp"

#include <sstream>

namespace pf {

Index numel(const Shape& shape) {
  Index n = 1;
  for (Index d : shape)
    n *= d;
  return n;
}

std::string to_string(const Shape& shape) {
  std::ostringstream os;
  os << '[';
  for (size_t i = 0; i < shape.size(); ++i)
    os << (i ? ", " : "") << shape[i];
  os << ']';
  return os.str();
}

}  // namespace pf
