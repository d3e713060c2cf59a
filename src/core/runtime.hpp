// Process-wide set-up shared by every executable (CLI, tests, benchmarks).
#pragma once

#include <string>

namespace pf {

// Keeps freed tensor storage in the heap for reuse. glibc serves blocks above its mmap threshold
// (≤ 32 MiB) with fresh mmaps, so every large activation would cost page faults and kernel
// zeroing on first touch: measured here, `add` on 16M floats ran 7× slower (1.75 vs 0.25
// ns/element) and GELU 1.5× slower. A no-op on other C libraries.
void tune_host_allocator();

// Keeps Kokkos's host threads and BLAS threads from competing for the same cores. When Kokkos
// runs several host threads (OpenMP/Threads backends) and OpenBLAS uses its own pthread pool,
// both pools spin on every core and each GEMM between Kokkos kernels oversubscribes the machine
// (measured with Kokkos 4.4 OpenMP on 2 cores: 250–460 it/s on the MLP demo instead of 1300).
// Then OpenBLAS is given one thread, unless OPENBLAS_NUM_THREADS says otherwise; an OpenMP
// build of OpenBLAS shares Kokkos's pool and is left alone. Call after Kokkos is initialised.
// Returns a sentence describing what was decided, for the log.
std::string balance_host_threads();

// For the life of main(): tunes the allocator, then initialises MPI when built with it (the
// process may still run as a single rank without mpiexec). Kokkos is initialised separately,
// after argument parsing.
class ProcessRuntime {
 public:
  ProcessRuntime(int& argc, char**& argv);
  ~ProcessRuntime();
  ProcessRuntime(const ProcessRuntime&) = delete;
  ProcessRuntime& operator=(const ProcessRuntime&) = delete;

  // Ends every rank with `code` (a failure on some ranks would otherwise leave the others
  // blocked in a collective until the job's time limit). Without MPI, does nothing.
  void abort_all_ranks(int code) const;
};

}  // namespace pf
