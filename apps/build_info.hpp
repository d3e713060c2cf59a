// What `portaformer info` reports: how this build was made and what it runs on.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace pf::app {

// Versions of PortaFormer, the compiler and every linked library, the Kokkos execution space and
// concurrency, and the MPI rank count. Kokkos (and MPI, if built with it) must be initialised.
nlohmann::ordered_json build_info();

// The same as aligned "name: value" lines, one section per library.
std::string format_build_info(const nlohmann::ordered_json& info);

// "0.1.0 (Kokkos 3.4.1, Serial)": the --version text.
std::string version_line();

}  // namespace pf::app
