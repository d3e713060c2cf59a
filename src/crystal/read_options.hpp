// What every structure reader accepts: how to treat partially occupied sites and how close two
// atoms may be before the file is called broken.
#pragma once

#include <string>

namespace pf::crystal {

enum class OccupancyPolicy {
  Error,     // a site with occupancy below 1 stops the read (the default: nothing silent)
  Majority,  // at each position keep the species with the largest occupancy; drop the
             // position when the occupancies there sum to less than 1/2 (mostly vacant)
};

struct ReadOptions {
  OccupancyPolicy occupancy = OccupancyPolicy::Error;
  // Atoms nearer than this (Å, over periodic images) are reported as overlapping. 0.5 Å is
  // below every real interatomic distance (H₂ is 0.74 Å) and above CIF rounding duplicates.
  double min_distance = 0.5;
};

// "error" or "majority"; InputError naming `what` otherwise.
OccupancyPolicy parse_occupancy_policy(const std::string& name, const std::string& what);

}  // namespace pf::crystal
