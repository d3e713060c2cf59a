#include "core/runtime.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif
#ifdef PF_HAVE_MPI
#include <mpi.h>
#endif

namespace pf {

void tune_host_allocator() {
#if defined(__GLIBC__)
  constexpr int kOneGiB = 1 << 30;
  mallopt(M_MMAP_THRESHOLD, kOneGiB);  // serve blocks up to 1 GiB from the heap
  mallopt(M_TRIM_THRESHOLD, kOneGiB);  // and keep up to 1 GiB of free heap for reuse
#endif
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
