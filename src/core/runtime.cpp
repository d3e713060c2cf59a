#include "core/runtime.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif
#ifdef PF_HAVE_MPI
#include <mpi.h>
#endif

#include <cblas.h>
#include <Kokkos_Core.hpp>

#include <cstdlib>

namespace pf {

void tune_host_allocator() {
#if defined(__GLIBC__)
  constexpr int kOneGiB = 1 << 30;
  mallopt(M_MMAP_THRESHOLD, kOneGiB);  // serve blocks up to 1 GiB from the heap
  mallopt(M_TRIM_THRESHOLD, kOneGiB);  // and keep up to 1 GiB of free heap for reuse
#endif
}

std::string balance_host_threads() {
  const int kokkos_threads = Kokkos::DefaultHostExecutionSpace().concurrency();
  constexpr int kOpenBlasPthreads = 1;  // openblas_get_parallel(): 0 serial, 1 pthreads, 2 OpenMP
  if (kokkos_threads <= 1 || openblas_get_parallel() != kOpenBlasPthreads)
    return "BLAS threads unchanged";
  if (std::getenv("OPENBLAS_NUM_THREADS") != nullptr)
    return "BLAS threads from OPENBLAS_NUM_THREADS";
  openblas_set_num_threads(1);
  return "OpenBLAS limited to 1 thread: Kokkos runs " + std::to_string(kokkos_threads) +
         " host threads (set OPENBLAS_NUM_THREADS to override)";
}

ProcessRuntime::ProcessRuntime(int& argc, char**& argv) {
  tune_host_allocator();
#ifdef PF_HAVE_MPI
  MPI_Init(&argc, &argv);
#else
  (void)argc;
  (void)argv;
#endif
}

ProcessRuntime::~ProcessRuntime() {
#ifdef PF_HAVE_MPI
  MPI_Finalize();
#endif
}

void ProcessRuntime::abort_all_ranks(int code) const {
#ifdef PF_HAVE_MPI
  MPI_Abort(MPI_COMM_WORLD, code);
#else
  (void)code;
#endif
}

}  // namespace pf
