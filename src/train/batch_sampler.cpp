#include "train/batch_sampler.hpp"

#include "core/error.hpp"

#include <numeric>
#include <string>

namespace pf {

BatchSampler::BatchSampler(std::int64_t n_samples, std::int64_t global_batch, int rank, int ranks,
                           std::uint64_t seed)
    : n_(n_samples), batch_(global_batch), rank_(rank), ranks_(ranks), rng_(seed) {
  if (global_batch < 1 || global_batch % ranks != 0)
    throw InputError("train.batch_size: expected a positive multiple of the " +
                     std::to_string(ranks) + " MPI ranks, found " + std::to_string(global_batch));
  if (n_samples < global_batch)
    throw InputError("train.batch_size: " + std::to_string(global_batch) +
                     " is larger than the training set (" + std::to_string(n_samples) +
                     " samples)");
  batches_per_epoch_ = n_samples / global_batch;
}

void BatchSampler::start_epoch(std::int64_t epoch) {
  epoch_ = epoch;
  epoch_start_state_ = rng_.state();
  order_.resize(n_);
  std::iota(order_.begin(), order_.end(), 0);
  rng_.shuffle(order_.begin(), order_.end());
}

std::vector<std::uint64_t> BatchSampler::epoch_start_state(std::int64_t step) {
  while (epoch_ < epoch_of(step))
    start_epoch(epoch_ + 1);
  return epoch_start_state_;
}

std::vector<std::int64_t> BatchSampler::local_batch(std::int64_t step) {
  while (epoch_ < epoch_of(step))
    start_epoch(epoch_ + 1);
  const std::int64_t local = batch_ / ranks_;
  const std::int64_t first = (step % batches_per_epoch_) * batch_ + rank_ * local;
  return {order_.begin() + first, order_.begin() + first + local};
}

void BatchSampler::restore(std::int64_t step, const std::vector<std::uint64_t>& epoch_start_state) {
  rng_.set_state(epoch_start_state);
  start_epoch(epoch_of(step));
}

}  // namespace pf
