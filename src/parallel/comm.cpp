#include "parallel/comm.hpp"

#include "kernels/elementwise.hpp"
#include "kernels/strided.hpp"

#ifdef PF_HAVE_MPI
#include <mpi.h>
#endif

#include <algorithm>
#include <limits>
#include <type_traits>

namespace pf {

Comm Comm::world() {
  Comm c;
#ifdef PF_HAVE_MPI
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (initialised) {
    MPI_Comm_rank(MPI_COMM_WORLD, &c.rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &c.size_);
  }
#endif
  return c;
}

void Comm::barrier() const {
#ifdef PF_HAVE_MPI
  if (size_ > 1) MPI_Barrier(MPI_COMM_WORLD);
#endif
}

double Comm::allreduce_sum(double value) const {
#ifdef PF_HAVE_MPI
  if (size_ > 1) MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
#endif
  return value;
}

double Comm::allreduce_max(double value) const {
#ifdef PF_HAVE_MPI
  if (size_ > 1) MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
#endif
  return value;
}

template <class T>
void Comm::allreduce_sum(const Vec<T>& buf) const {
#ifdef PF_HAVE_MPI
  if (size_ == 1) return;
  // Through a host mirror: works with any MPI, GPU-aware or not (a no-op copy on host spaces).
  auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), buf);
  const MPI_Datatype type = std::is_same_v<T, float> ? MPI_FLOAT : MPI_DOUBLE;
  // MPI counts are int: reduce in pieces of at most INT_MAX values.
  constexpr Index kMaxCount = std::numeric_limits<int>::max();
  const Index n = Index(host.extent(0));
  for (Index first = 0; first < n; first += kMaxCount) {
    const int count = int(std::min<Index>(kMaxCount, n - first));
    MPI_Allreduce(MPI_IN_PLACE, host.data() + first, count, type, MPI_SUM, MPI_COMM_WORLD);
  }
  Kokkos::deep_copy(buf, host);
#else
  (void)buf;
#endif
}

std::string Comm::broadcast(const std::string& value) const {
#ifdef PF_HAVE_MPI
  if (size_ == 1) return value;
  int n = int(value.size());
  MPI_Bcast(&n, 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::string out = rank_ == 0 ? value : std::string(n, '\0');
  MPI_Bcast(out.data(), n, MPI_CHAR, 0, MPI_COMM_WORLD);
  return out;
#else
  return value;
#endif
}

template <class T>
void average_gradients(const NamedTensors<T>& params, const Comm& comm) {
  if (comm.size() == 1) return;
  ProfilingRegion region("pf::parallel::average_gradients");
  // Frozen parameters (requires_grad off) take no part, as with one rank.
  std::vector<Tensor<T>> trained;
  Index total = 0;
  for (const auto& [name, p] : params)
    if (p.requires_grad()) {
      trained.push_back(p);
      total += p.numel();
    }
  Vec<T> packed(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::parallel::packed_grads"),
                total);
  kern::StridedMap flat;
  flat.rank = 1;
  flat.a[0] = flat.b[0] = 1;
  Index offset = 0;
  for (Tensor<T>& p : trained) {  // a parameter without a gradient on this rank sends zeros
    flat.dims[0] = p.numel();
    kern::strided_copy<T>(p.grad_or_zeros(), 0, packed, offset, flat, false);
    offset += p.numel();
  }
  comm.allreduce_sum(packed);
  kern::affine_scalar<T>(packed, T(1) / T(comm.size()), T(0), packed);
  offset = 0;
  for (const Tensor<T>& p : trained) {
    flat.dims[0] = p.numel();
    kern::strided_copy<T>(packed, offset, p.grad(), 0, flat, false);
    offset += p.numel();
  }
}

template void Comm::allreduce_sum<float>(const Vec<float>&) const;
template void Comm::allreduce_sum<double>(const Vec<double>&) const;
template void average_gradients<float>(const NamedTensors<float>&, const Comm&);
template void average_gradients<double>(const NamedTensors<double>&, const Comm&);

}  // namespace pf
