// Train/valid/test split by whole trajectories, so no window of a test trajectory is ever seen
// in training.
#pragma once

#include "core/types.hpp"

#include <cstdint>
#include <vector>

namespace pf::data {

struct TrajectorySplit {
  std::vector<Index> train, valid, test;  // each sorted ascending (file order reads faster)
};

// Shuffles 0..n_traj-1 under `seed` (pf::Rng) and cuts it: valid gets round(valid_fraction · n),
// test round(test_fraction · n), train the rest. A split asked for (fraction > 0) gets at least
// one trajectory and train keeps at least one, so with n_traj >= 3 every requested split is
// non-empty. With fewer trajectories train is served first, then valid, then test: n_traj = 1
// gives train only, n_traj = 2 gives train and valid (or test when valid_fraction is 0).
// Deterministic in (n_traj, fractions, seed). Fractions must be in [0, 1) with a sum below 1
// (pf::InputError otherwise); n_traj must be positive.
TrajectorySplit split_trajectories(Index n_traj, double valid_fraction, double test_fraction,
                                   std::uint64_t seed);

}  // namespace pf::data
