# Every third-party package PortaFormer builds on, found once. Debian bookworm ships all of them;
# a user's own Kokkos 4.x is picked with -DKokkos_ROOT=/path.

# Kokkos: a plain minimum, since Debian's 3.4 version file rejects ranges that reach 4.x.
find_package(Kokkos 3.4 REQUIRED CONFIG)
if(TARGET trilinos_kokkoscore)
  # Debian's Trilinos build points Kokkos::kokkos at a non-existent include dir.
  set_property(TARGET Kokkos::kokkos PROPERTY INTERFACE_INCLUDE_DIRECTORIES ${Kokkos_INCLUDE_DIRS})
endif()

set(PF_HAVE_KOKKOSKERNELS OFF)
if(PF_ENABLE_KOKKOSKERNELS)
  find_package(KokkosKernels QUIET CONFIG)
  if(TARGET trilinos_kokkoskernels AND NOT TARGET Kokkos::kokkoskernels)
    add_library(Kokkos::kokkoskernels INTERFACE IMPORTED)
    set_target_properties(Kokkos::kokkoskernels PROPERTIES
      INTERFACE_LINK_LIBRARIES "trilinos_kokkoskernels;Kokkos::kokkos")
  endif()
  if(TARGET Kokkos::kokkoskernels)
    set(PF_HAVE_KOKKOSKERNELS ON)
  endif()
endif()

# A CUDA build without KokkosKernels calls cuBLAS directly for device GEMMs.
set(PF_HAVE_CUBLAS OFF)
if("CUDA" IN_LIST Kokkos_DEVICES AND NOT PF_HAVE_KOKKOSKERNELS)
  find_package(CUDAToolkit REQUIRED)
  set(PF_HAVE_CUBLAS ON)
endif()

# OpenBLAS through CMake's BLAS finder; CBLAS header from the same package.
set(BLA_VENDOR OpenBLAS)
find_package(BLAS REQUIRED)
find_path(PF_CBLAS_INCLUDE_DIR cblas.h PATH_SUFFIXES openblas x86_64-linux-gnu/openblas-pthread)
if(NOT PF_CBLAS_INCLUDE_DIR)
  message(FATAL_ERROR "cblas.h not found: install libopenblas-dev")
endif()

find_package(HDF5 REQUIRED COMPONENTS C)
find_library(PF_FFTW3_LIBRARY fftw3 REQUIRED)
find_path(PF_FFTW3_INCLUDE_DIR fftw3.h REQUIRED)
find_package(spdlog REQUIRED CONFIG)
find_package(fmt REQUIRED CONFIG)
find_package(CLI11 REQUIRED CONFIG)
find_package(toml11 REQUIRED CONFIG)
find_package(nlohmann_json 3 REQUIRED CONFIG)
find_package(Eigen3 3.3 REQUIRED NO_MODULE)
# spglib (Debian libsymspg-dev) for space groups and primitive cells; its pkg-config file has no
# version and no CMake config ships, so the header and library are found directly.
find_path(PF_SPGLIB_INCLUDE_DIR spglib.h REQUIRED)
find_library(PF_SPGLIB_LIBRARY NAMES symspg spglib REQUIRED)
# CommonMisc for vtkErrorCode; IOXMLParser lets the tests parse .pvd collections.
find_package(VTK 9 REQUIRED COMPONENTS CommonCore CommonDataModel CommonMisc IOXML IOXMLParser)
if(PF_ENABLE_MPI)
  find_package(MPI REQUIRED COMPONENTS C)
endif()

