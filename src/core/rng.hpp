// Host-side random numbers for initialisation, data shuffling and noise: xoshiro256** seeded by
// splitmix64. Small explicit state so checkpoints can store it and a resumed run continues the
// exact same stream.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace pf {

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0);

  std::uint64_t next_u64();
  double uniform();                      // [0, 1)
  double uniform(double lo, double hi);  // [lo, hi)
  double normal(double mean = 0, double stddev = 1);
  std::uint64_t below(std::uint64_t n);  // [0, n), unbiased
  template <class It>
  void shuffle(It first, It last) {
    for (auto n = last - first; n > 1; --n)
      std::swap(first[n - 1], first[below(std::uint64_t(n))]);
  }

  // An independent stream derived from this one's seed (e.g. per MPI rank or per purpose).
  static Rng derived(std::uint64_t seed, std::uint64_t stream);

  std::vector<std::uint64_t> state() const;  // 6 words: generator, cached normal, its flag
  void set_state(const std::vector<std::uint64_t>& words);

 private:
  std::array<std::uint64_t, 4> s_{};
  bool has_spare_ = false;
  double spare_ = 0;
};

}  // namespace pf
