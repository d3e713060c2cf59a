// Test entry point: Kokkos (and MPI, when built with it) live for the whole run.
#include <gtest/gtest.h>
#include <Kokkos_Core.hpp>

#include "core/runtime.hpp"

int main(int argc, char** argv) {
  pf::ProcessRuntime runtime(argc, argv);
  Kokkos::ScopeGuard kokkos(argc, argv);
  pf::balance_host_threads();
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
