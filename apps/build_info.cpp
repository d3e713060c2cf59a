#include "build_info.hpp"

#include <H5public.h>
#include <cblas.h>
#include <fftw3.h>
#include <fmt/format.h>
#include <spdlog/version.h>
#include <vtkVersion.h>
#include <CLI/Version.hpp>
#include <Kokkos_Core.hpp>
#include <toml.hpp>

#ifdef PF_HAVE_MPI
#include <mpi.h>
#endif

#include <cctype>
#include <string>
#include <vector>

#ifndef PF_VERSION
#define PF_VERSION "unknown"
#endif
#ifndef PF_BUILD_TYPE
#define PF_BUILD_TYPE "unknown"
#endif

namespace pf::app {

namespace {

std::string trim_right(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.pop_back();
  return s;
}

std::string compiler() {
#if defined(__clang__)
  return std::string("clang ") + __clang_version__;
#elif defined(__INTEL_LLVM_COMPILER)
  return std::string("Intel oneAPI ") + __VERSION__;
#elif defined(__GNUC__)
  return std::string("GCC ") + __VERSION__;
#else
  return "unknown";
#endif
}

std::string kokkos_version() {
  return fmt::format("{}.{}.{}", KOKKOS_VERSION / 10000, KOKKOS_VERSION / 100 % 100,
                     KOKKOS_VERSION % 100);
}

std::vector<std::string> kokkos_backends() {
  std::vector<std::string> backends;
#ifdef KOKKOS_ENABLE_SERIAL
  backends.emplace_back("Serial");
#endif
#ifdef KOKKOS_ENABLE_OPENMP
  backends.emplace_back("OpenMP");
#endif
#ifdef KOKKOS_ENABLE_THREADS
  backends.emplace_back("Threads");
#endif
#ifdef KOKKOS_ENABLE_CUDA
  backends.emplace_back("Cuda");
#endif
#ifdef KOKKOS_ENABLE_HIP
  backends.emplace_back("HIP");
#endif
#ifdef KOKKOS_ENABLE_SYCL
  backends.emplace_back("SYCL");
#endif
  return backends;
}

nlohmann::ordered_json mpi_info() {
  nlohmann::ordered_json mpi;
#ifdef PF_HAVE_MPI
  int ranks = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  char library[MPI_MAX_LIBRARY_VERSION_STRING];
  int length = 0;
  MPI_Get_library_version(library, &length);
  mpi["enabled"] = true;
  mpi["ranks"] = ranks;
  mpi["library"] = trim_right(std::string(library));  // Open MPI counts the NUL in length
#else
  mpi["enabled"] = false;
  mpi["ranks"] = 1;
#endif
  return mpi;
}

}  // namespace

std::string version_line() {
  return std::string(PF_VERSION) + " (Kokkos " + kokkos_version() + ", " +
         Kokkos::DefaultExecutionSpace::name() + ")";
}

nlohmann::ordered_json build_info() {
  nlohmann::ordered_json info;
  info["portaformer"] = PF_VERSION;
  info["build_type"] = PF_BUILD_TYPE;
  info["compiler"] = compiler();

  auto& kokkos = info["kokkos"];
  kokkos["version"] = kokkos_version();
  kokkos["execution_space"] = Kokkos::DefaultExecutionSpace::name();
  kokkos["host_execution_space"] = Kokkos::DefaultHostExecutionSpace::name();
  kokkos["backends"] = kokkos_backends();
  kokkos["concurrency"] = Kokkos::DefaultExecutionSpace().concurrency();

  info["mpi"] = mpi_info();

  auto& openblas = info["openblas"];
  openblas["config"] = trim_right(openblas_get_config());
  openblas["threads"] = openblas_get_num_threads();

  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  info["hdf5"] = fmt::format("{}.{}.{}", major, minor, release);
  info["fftw"] = std::string(fftw_version);
  info["vtk"] = std::string(vtkVersion::GetVTKVersion());
  info["spdlog"] = fmt::format("{}.{}.{}", SPDLOG_VER_MAJOR, SPDLOG_VER_MINOR, SPDLOG_VER_PATCH);
  info["fmt"] =
      fmt::format("{}.{}.{}", FMT_VERSION / 10000, FMT_VERSION / 100 % 100, FMT_VERSION % 100);
  info["cli11"] = CLI11_VERSION;
  info["toml11"] =
      fmt::format("{}.{}.{}", TOML11_VERSION_MAJOR, TOML11_VERSION_MINOR, TOML11_VERSION_PATCH);
  info["nlohmann_json"] = fmt::format("{}.{}.{}", NLOHMANN_JSON_VERSION_MAJOR,
                                      NLOHMANN_JSON_VERSION_MINOR, NLOHMANN_JSON_VERSION_PATCH);
  return info;
}

std::string format_build_info(const nlohmann::ordered_json& info) {
  const auto text = [](const nlohmann::ordered_json& v) -> std::string {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_array()) {
      std::vector<std::string> items;
      for (const auto& item : v)
        items.push_back(item.is_string() ? item.get<std::string>() : item.dump());
      return fmt::format("{}", fmt::join(items, ", "));
    }
    return v.dump();
  };
  std::string out;
  for (const auto& [name, value] : info.items()) {
    if (!value.is_object()) {
      out += fmt::format("{:<15}{}\n", name + ":", text(value));
      continue;
    }
    out += name + ":\n";
    for (const auto& [key, item] : value.items()) {
      out += fmt::format("  {:<23}{}\n", key + ":", text(item));
    }
  }
  return out;
}

}  // namespace pf::app
