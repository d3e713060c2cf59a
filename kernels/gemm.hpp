// The one GEMM entry point. Row-major C = alpha op(A) op(B) + beta C for a batch of matrices at
// fixed strides. Host-accessible memory goes to CBLAS (OpenBLAS); device memory goes through
// KokkosKernels, which calls the vendor BLAS (cuBLAS, rocBLAS) when it was built with it.
#pragma once

#include "kernels/compat.hpp"

#include <cblas.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

#if defined(PF_HAVE_KOKKOSKERNELS)
#include <KokkosBlas3_gemm.hpp>
#endif

namespace pf::kern {

using Index = std::int64_t;

struct GemmShape {
  bool trans_a = false, trans_b = false;
  Index m = 0, n = 0, k = 0;                       // op(A): m×k, op(B): k×n, C: m×n
  Index stride_a = 0, stride_b = 0, stride_c = 0;  // between batch entries (0: shared)
  Index batch = 1;
};

namespace detail {

inline void host_gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, Index m, Index n, Index k,
                      float alpha, const float* a, Index lda, const float* b, Index ldb, float beta,
                      float* c, Index ldc) {
  cblas_sgemm(CblasRowMajor, ta, tb, int(m), int(n), int(k), alpha, a, int(lda), b, int(ldb), beta,
              c, int(ldc));
}
inline void host_gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, Index m, Index n, Index k,
                      double alpha, const double* a, Index lda, const double* b, Index ldb,
                      double beta, double* c, Index ldc) {
  cblas_dgemm(CblasRowMajor, ta, tb, int(m), int(n), int(k), alpha, a, int(lda), b, int(ldb), beta,
              c, int(ldc));
}

}  // namespace detail

// a, b, c: pointers into Views of the default memory space (the only raw pointers we pass on,
// straight to the BLAS library). Leading dimensions are those of contiguous row-major storage.
template <class T, class MemorySpace = Kokkos::DefaultExecutionSpace::memory_space>
void gemm(const GemmShape& s, T alpha, const T* a, const T* b, T beta, T* c) {
  if (s.m == 0 || s.n == 0) return;
  // BLAS wants leading dimensions ≥ 1 even for empty operands (k = 0: C = βC).
  const Index lda = std::max<Index>(1, s.trans_a ? s.m : s.k);
  const Index ldb = std::max<Index>(1, s.trans_b ? s.k : s.n);
  const Index ldc = std::max<Index>(1, s.n);
  // BLAS takes int sizes: a larger operand would be silently truncated.
  constexpr Index kMaxInt = std::numeric_limits<int>::max();
  if (s.m > kMaxInt || s.n > kMaxInt || s.k > kMaxInt || lda > kMaxInt || ldb > kMaxInt)
    throw std::length_error("gemm: " + std::to_string(s.m) + "×" + std::to_string(s.n) + "×" +
                            std::to_string(s.k) + " exceeds BLAS's 32-bit sizes");
  constexpr bool host = Kokkos::SpaceAccessibility<Kokkos::HostSpace, MemorySpace>::accessible;
  if constexpr (host) {
    const CBLAS_TRANSPOSE ta = s.trans_a ? CblasTrans : CblasNoTrans;
    const CBLAS_TRANSPOSE tb = s.trans_b ? CblasTrans : CblasNoTrans;
    for (Index i = 0; i < s.batch; ++i)
      detail::host_gemm(ta, tb, s.m, s.n, s.k, alpha, a + i * s.stride_a, lda, b + i * s.stride_b,
                        ldb, beta, c + i * s.stride_c, ldc);
  } else {
#if defined(PF_HAVE_KOKKOSKERNELS)
    // Row-major C = op(A) op(B) is column-major Cᵀ = op(B)ᵀ op(A)ᵀ: hand KokkosKernels the
    // column-major views of B and A with the same transpose flags.
    using Unmanaged = Kokkos::MemoryTraits<Kokkos::Unmanaged>;
    using ConstMat = Kokkos::View<const T**, Kokkos::LayoutLeft, MemorySpace, Unmanaged>;
    using Mat = Kokkos::View<T**, Kokkos::LayoutLeft, MemorySpace, Unmanaged>;
    const char* tb = s.trans_b ? "T" : "N";
    const char* ta = s.trans_a ? "T" : "N";
    for (Index i = 0; i < s.batch; ++i) {
      ConstMat bm(b + i * s.stride_b, ldb, s.trans_b ? s.n : s.k);
      ConstMat am(a + i * s.stride_a, lda, s.trans_a ? s.k : s.m);
      Mat cm(c + i * s.stride_c, ldc, s.m);
      KokkosBlas::gemm(tb, ta, alpha, bm, am, beta, cm);
    }
#else
    static_assert(host, "device GEMM needs KokkosKernels (configure with PF_ENABLE_KOKKOSKERNELS)");
#endif
  }
}

}  // namespace pf::kern
