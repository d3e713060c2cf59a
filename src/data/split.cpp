// Trajectory splits.
#include "data/split.hpp"

#include "core/error.hpp"
#include "core/rng.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

namespace pf::data {

TrajectorySplit split_trajectories(Index n_traj, double valid_fraction, double test_fraction,
                                   std::uint64_t seed) {
  const bool fractions_ok =
      valid_fraction >= 0 && test_fraction >= 0 && valid_fraction + test_fraction < 1;
  if (!fractions_ok || n_traj < 1) {
    throw InputError(
        "trajectory split: expected n_traj >= 1 and fractions in [0, 1) summing below 1, "
        "found n_traj " +
        std::to_string(n_traj) + ", valid " + std::to_string(valid_fraction) + ", test " +
        std::to_string(test_fraction));
  }
  auto wanted = [&](double fraction) {
    return fraction > 0 ? std::max<Index>(1, Index(std::llround(fraction * double(n_traj)))) : 0;
  };
  Index n_valid = wanted(valid_fraction), n_test = wanted(test_fraction);
  // Shrink the larger of valid/test (test on ties) until train keeps at least one trajectory;
  // with n_traj >= 3 neither requested split falls below one.
  while (n_valid + n_test > n_traj - 1) {
    if (n_test > 0 && (n_test >= n_valid || n_valid == 0)) {
      --n_test;
    } else {
      --n_valid;
    }
  }
  std::vector<Index> order(static_cast<size_t>(n_traj));
  std::iota(order.begin(), order.end(), Index(0));
  Rng rng(seed);
  rng.shuffle(order.begin(), order.end());
  TrajectorySplit split;
  auto take = [&](std::vector<Index>& into, size_t begin, size_t end) {
    into.assign(order.begin() + long(begin), order.begin() + long(end));
    std::sort(into.begin(), into.end());
  };
  const size_t v = size_t(n_valid), t = size_t(n_test);
  take(split.valid, 0, v);
  take(split.test, v, v + t);
  take(split.train, v + t, order.size());
  return split;
}

}  // namespace pf::data
