// The process group: MPI_COMM_WORLD when built with MPI and launched under mpiexec, a single
// rank otherwise. Data-parallel training needs only these collectives.
#pragma once

#include "nn/module.hpp"

#include <cstdint>
#include <string>

namespace pf {

class Comm {
 public:
  static Comm world();  // MPI must be initialised (apps/ and tests/ do it) when built with MPI
  int rank() const { return rank_; }
  int size() const { return size_; }
  bool is_root() const { return rank_ == 0; }

  void barrier() const;
  double allreduce_sum(double value) const;
  double allreduce_max(double value) const;
  // Sums buf over ranks in place; buf lives in the default memory space.
  template <class T>
  void allreduce_sum(const Vec<T>& buf) const;
  // Rank 0's string on every rank (error messages, resolved paths).
  std::string broadcast(const std::string& value) const;

 private:
  int rank_ = 0, size_ = 1;
};

// Averages every parameter gradient over the ranks with one allreduce of a packed buffer.
// With one rank nothing happens. Parameters without a gradient on some rank count as zero.
template <class T>
void average_gradients(const NamedTensors<T>& params, const Comm& comm);

}  // namespace pf
