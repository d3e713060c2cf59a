// Shuffled epochs over a training set, split across ranks. The permutation of an epoch comes
// from the sampler's Rng; the Rng state at the epoch's start is what a checkpoint stores, so a
// resumed run redraws the same permutation and continues mid-epoch exactly.
#pragma once

#include "core/rng.hpp"

#include <cstdint>
#include <vector>

namespace pf {

class BatchSampler {
 public:
  // global_batch must divide by ranks; the last incomplete batch of an epoch is skipped so
  // every step sees the same number of samples.
  BatchSampler(std::int64_t n_samples, std::int64_t global_batch, int rank, int ranks,
               std::uint64_t seed);

  // This rank's sample indices for the global step `step` (steps must be asked in order,
  // starting from the step given to restore(), or 0).
  std::vector<std::int64_t> local_batch(std::int64_t step);

  std::int64_t batches_per_epoch() const { return batches_per_epoch_; }
  std::int64_t epoch_of(std::int64_t step) const { return step / batches_per_epoch_; }
  // The Rng state at the start of the epoch holding `step` — what a checkpoint taken before
  // `step` must store. Draws that epoch's permutation first if it has not been drawn yet (a
  // checkpoint at an epoch boundary), so it must be asked in step order like local_batch().
  std::vector<std::uint64_t> epoch_start_state(std::int64_t step);
  // Continue at `step` from the Rng state saved at the start of that step's epoch.
  void restore(std::int64_t step, const std::vector<std::uint64_t>& epoch_start_state);

 private:
  void start_epoch(std::int64_t epoch);

  std::int64_t n_, batch_, batches_per_epoch_;
  int rank_, ranks_;
  Rng rng_;
  std::int64_t epoch_ = -1;
  std::vector<std::uint64_t> epoch_start_state_;
  std::vector<std::int64_t> order_;
};

}  // namespace pf
