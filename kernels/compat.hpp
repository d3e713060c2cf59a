// The one place where Kokkos 3.4 (Debian's Trilinos build) and Kokkos 4.x differ for us.
// Everything else in PortaFormer calls these names and stays version-agnostic.
#pragma once

#include <Kokkos_Core.hpp>

#include <cmath>

#if KOKKOS_VERSION >= 40000
#define PF_KOKKOS_4 1
#else
#define PF_KOKKOS_4 0
#endif

// Kokkos 3.4 configured as C++14 does not define KOKKOS_CLASS_LAMBDA.
#ifndef KOKKOS_CLASS_LAMBDA
#define KOKKOS_CLASS_LAMBDA [ =, *this ] KOKKOS_FUNCTION
#endif

namespace pf::kmath {

#if PF_KOKKOS_4
using Kokkos::cos;
using Kokkos::erf;
using Kokkos::exp;
using Kokkos::isfinite;
using Kokkos::log;
using Kokkos::log1p;
using Kokkos::pow;
using Kokkos::sin;
using Kokkos::sqrt;
using Kokkos::tanh;
#else
using Kokkos::Experimental::cos;
using Kokkos::Experimental::erf;
using Kokkos::Experimental::exp;
using Kokkos::Experimental::isfinite;
using Kokkos::Experimental::log;
using Kokkos::Experimental::log1p;
using Kokkos::Experimental::pow;
using Kokkos::Experimental::sin;
using Kokkos::Experimental::sqrt;
using Kokkos::Experimental::tanh;
#endif

template <class T>
KOKKOS_INLINE_FUNCTION constexpr T min(T a, T b) {
  return b < a ? b : a;
}
template <class T>
KOKKOS_INLINE_FUNCTION constexpr T max(T a, T b) {
  return a < b ? b : a;
}

}  // namespace pf::kmath

namespace pf {

// A labelled fence where the version supports labels.
inline void fence(const char* label) {
#if PF_KOKKOS_4
  Kokkos::fence(label);
#else
  (void)label;
  Kokkos::fence();
#endif
}

// RAII profiling region (Kokkos 4 has ScopedRegion; 3.4 only push/pop).
class ProfilingRegion {
 public:
  explicit ProfilingRegion(const char* name) { Kokkos::Profiling::pushRegion(name); }
  ~ProfilingRegion() { Kokkos::Profiling::popRegion(); }
  ProfilingRegion(const ProfilingRegion&) = delete;
  ProfilingRegion& operator=(const ProfilingRegion&) = delete;
};

}  // namespace pf
