// Test entry point: Kokkos (and MPI, when built with it) live for the whole run.
#include <gtest/gtest.h>
#include <Kokkos_Core.hpp>

#include "core/runtime.hpp"

#ifdef PF_HAVE_MPI
#include <mpi.h>
#endif

int main(int argc, char** argv) {
  pf::tune_host_allocator();
#ifdef PF_HAVE_MPI
  MPI_Init(&argc, &argv);
#endif
  int rc = 0;
  {
    Kokkos::ScopeGuard kokkos(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    rc = RUN_ALL_TESTS();
  }
#ifdef PF_HAVE_MPI
  MPI_Finalize();
#endif
  return rc;
}
