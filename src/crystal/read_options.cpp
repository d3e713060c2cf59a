#include "crystal/read_options.hpp"

#include "core/error.hpp"

namespace pf::crystal {

OccupancyPolicy parse_occupancy_policy(const std::string& name, const std::string& what) {
  if (name == "error") return OccupancyPolicy::Error;
  if (name == "majority") return OccupancyPolicy::Majority;
  throw InputError(what + ": expected error or majority, found '" + name + "'");
}

}  // namespace pf::crystal
