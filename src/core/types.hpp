// View aliases used across PortaFormer: flat, contiguous, default memory space.
#pragma once

#include <Kokkos_Core.hpp>

#include <cstdint>
#include <vector>

namespace pf {

using Index = std::int64_t;
using Shape = std::vector<Index>;

template <class T>
using Vec = Kokkos::View<T*>;
using IndexVec = Kokkos::View<Index*>;

using ExecSpace = Kokkos::DefaultExecutionSpace;
using MemSpace = typename ExecSpace::memory_space;

inline constexpr bool kHostAccessible =
    Kokkos::SpaceAccessibility<Kokkos::HostSpace, MemSpace>::accessible;

Index numel(const Shape& shape);
std::string to_string(const Shape& shape);

}  // namespace pf
