#include "parallel/comm.hpp"

#include "kernels/strided.hpp"

#ifdef PF_HAVE_MPI
#include <mpi.h>
#endif

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
  MPI_Allreduce(MPI_IN_PLACE, host.data(), int(host.extent(0)), type, MPI_SUM, MPI_COMM_WORLD);
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
  Index total = 0;
  for (const auto& [name, p] : params)
    total += p.numel();
  Vec<T> packed(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::parallel::packed_grads"),
                total);
  kern::StridedMap flat;
  flat.rank = 1;
  flat.a[0] = flat.b[0] = 1;
  Index offset = 0;
  for (auto [name, p] : params) {
    flat.dims[0] = p.numel();
    kern::strided_copy<T>(p.grad_or_zeros(), 0, packed, offset, flat, false);
    offset += p.numel();
  }
  comm.allreduce_sum(packed);
  const T inv = T(1) / T(comm.size());
  offset = 0;
  for (const auto& [name, p] : params) {
    const Vec<T> g = p.grad();
    const Index base = offset;
    Kokkos::parallel_for(
        "pf::parallel::unpack_average", Kokkos::RangePolicy<>(0, p.numel()),
        KOKKOS_LAMBDA(Index i) { g(i) = packed(base + i) * inv; });
    offset += p.numel();
  }
}

template void Comm::allreduce_sum<float>(const Vec<float>&) const;
template void Comm::allreduce_sum<double>(const Vec<double>&) const;
template void average_gradients<float>(const NamedTensors<float>&, const Comm&);
template void average_gradients<double>(const NamedTensors<double>&, const Comm&);

}  // namespace pf
