// The one GEMM entry point. Row-major C = alpha op(A) op(B) + beta C for a batch of matrices at
// fixed strides. Host-accessible memory goes to CBLAS (OpenBLAS); device memory goes through
// KokkosKernels, which calls the vendor BLAS (cuBLAS, rocBLAS) when it was built with it, or —
// in a CUDA build without KokkosKernels — straight to cuBLAS's strided-batched GEMM.
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
#elif defined(PF_HAVE_CUBLAS)
#include <cublas_v2.h>
#endif

namespace pf::kern {

using Index = std::int64_t;

struct GemmShape {
  bool trans_a = false, trans_b = false;
  Index m = 0, n = 0, k = 0;                       // op(A): m×k, op(B): k×n, C: m×n
  Index stride_a = 0, stride_b = 0, stride_c = 0;  // between batch entries (0: shared)
  Index batch = 1;
  // Row strides of the stored (untransposed) A, B and C; 0 means contiguous rows. Larger values
  // address a block inside a bigger row-major array (one head's channels of a [.., H·D] tensor)
  // without copying it out.
  Index lda = 0, ldb = 0, ldc = 0;
};

// m·n·k below which a host GEMM runs on one BLAS thread (see gemm()).
constexpr double kSmallGemm = double(1 << 20);

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

#if !defined(PF_HAVE_KOKKOSKERNELS) && defined(PF_HAVE_CUBLAS)
// One cuBLAS handle for the process, bound to Kokkos's stream so GEMMs order with our kernels.
inline cublasHandle_t cublas_handle() {
  static const cublasHandle_t handle = [] {
    cublasHandle_t h = nullptr;
    if (cublasCreate(&h) != CUBLAS_STATUS_SUCCESS)
      throw std::runtime_error("gemm: cublasCreate failed (no usable GPU?)");
    cublasSetStream(h, Kokkos::Cuda().cuda_stream());
    return h;
  }();
  return handle;
}
inline void check_cublas(cublasStatus_t status) {
  if (status != CUBLAS_STATUS_SUCCESS)
    throw std::runtime_error("gemm: cuBLAS failed with status " + std::to_string(int(status)));
}
// Column-major strided-batched GEMM (the caller has already swapped A and B for row-major).
inline void device_gemm(cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k,
                        float alpha, const float* a, int lda, long long sa, const float* b, int ldb,
                        long long sb, float beta, float* c, int ldc, long long sc, int batch) {
  check_cublas(cublasSgemmStridedBatched(cublas_handle(), ta, tb, m, n, k, &alpha, a, lda, sa, b,
                                         ldb, sb, &beta, c, ldc, sc, batch));
}
inline void device_gemm(cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k,
                        double alpha, const double* a, int lda, long long sa, const double* b,
                        int ldb, long long sb, double beta, double* c, int ldc, long long sc,
                        int batch) {
  check_cublas(cublasDgemmStridedBatched(cublas_handle(), ta, tb, m, n, k, &alpha, a, lda, sa, b,
                                         ldb, sb, &beta, c, ldc, sc, batch));
}
#endif

}  // namespace detail

// a, b, c: pointers into Views of the default memory space (the only raw pointers we pass on,
// straight to the BLAS library). Leading dimensions are those of contiguous row-major storage.
template <class T, class MemorySpace = Kokkos::DefaultExecutionSpace::memory_space>
void gemm(const GemmShape& s, T alpha, const T* a, const T* b, T beta, T* c) {
  if (s.m == 0 || s.n == 0) return;
  // BLAS wants leading dimensions ≥ 1 even for empty operands (k = 0: C = βC).
  const Index lda = s.lda > 0 ? s.lda : std::max<Index>(1, s.trans_a ? s.m : s.k);
  const Index ldb = s.ldb > 0 ? s.ldb : std::max<Index>(1, s.trans_b ? s.k : s.n);
  const Index ldc = s.ldc > 0 ? s.ldc : std::max<Index>(1, s.n);
  // BLAS takes int sizes: a larger operand would be silently truncated.
  constexpr Index kMaxInt = std::numeric_limits<int>::max();
  if (s.m > kMaxInt || s.n > kMaxInt || s.k > kMaxInt || lda > kMaxInt || ldb > kMaxInt ||
      ldc > kMaxInt)
    throw std::length_error("gemm: " + std::to_string(s.m) + "×" + std::to_string(s.n) + "×" +
                            std::to_string(s.k) + " exceeds BLAS's 32-bit sizes");
  constexpr bool host = Kokkos::SpaceAccessibility<Kokkos::HostSpace, MemorySpace>::accessible;
  if constexpr (host) {
    const CBLAS_TRANSPOSE ta = s.trans_a ? CblasTrans : CblasNoTrans;
    const CBLAS_TRANSPOSE tb = s.trans_b ? CblasTrans : CblasNoTrans;
    // OpenBLAS hands every GEMM above m·n·k = 2¹⁸ to all its threads. For small entries (the 3-D
    // axial integral's 66×64×66 per grid line, thousands per batch) the hand-off costs more than
    // the arithmetic, and on a busy machine each call waits for its helper threads to be scheduled:
    // 26k such calls took 0.5 s on one thread and 10–39 s on two under load 6 on 2 cores. Those
    // run on the calling thread alone.
    const bool small = double(s.m) * double(s.n) * double(s.k) < kSmallGemm;
    const int threads = small ? openblas_get_num_threads() : 1;
    if (threads > 1) openblas_set_num_threads(1);
    for (Index i = 0; i < s.batch; ++i)
      detail::host_gemm(ta, tb, s.m, s.n, s.k, alpha, a + i * s.stride_a, lda, b + i * s.stride_b,
                        ldb, beta, c + i * s.stride_c, ldc);
    if (threads > 1) openblas_set_num_threads(threads);
  } else {
#if defined(PF_HAVE_KOKKOSKERNELS)
    // Row-major C = op(A) op(B) is column-major Cᵀ = op(B)ᵀ op(A)ᵀ: hand KokkosKernels the
    // column-major views of B and A with the same transpose flags.
    using Unmanaged = Kokkos::MemoryTraits<Kokkos::Unmanaged>;
    using ConstMat = Kokkos::View<const T**, Kokkos::LayoutLeft, MemorySpace, Unmanaged>;
    using Mat = Kokkos::View<T**, Kokkos::LayoutLeft, MemorySpace, Unmanaged>;
    const char* tb = s.trans_b ? "T" : "N";
    const char* ta = s.trans_a ? "T" : "N";
    // A leading dimension beyond the rows is a column-major view of the first rows of a taller
    // matrix: a strided subview.
    const auto rows = [](Index n) { return std::make_pair(Index(0), n); };
    for (Index i = 0; i < s.batch; ++i) {
      ConstMat bm(b + i * s.stride_b, ldb, s.trans_b ? s.n : s.k);
      ConstMat am(a + i * s.stride_a, lda, s.trans_a ? s.k : s.m);
      Mat cm(c + i * s.stride_c, ldc, s.m);
      KokkosBlas::gemm(tb, ta, alpha, Kokkos::subview(bm, rows(s.trans_b ? s.k : s.n), Kokkos::ALL),
                       Kokkos::subview(am, rows(s.trans_a ? s.m : s.k), Kokkos::ALL), beta,
                       Kokkos::subview(cm, rows(s.n), Kokkos::ALL));
    }
#elif defined(PF_HAVE_CUBLAS)
    // Row-major C = op(A) op(B) is column-major Cᵀ = op(B)ᵀ op(A)ᵀ: swap the operands.
    const cublasOperation_t tb = s.trans_b ? CUBLAS_OP_T : CUBLAS_OP_N;
    const cublasOperation_t ta = s.trans_a ? CUBLAS_OP_T : CUBLAS_OP_N;
    if (s.stride_c == 0 && s.batch > 1) {
      // Every entry accumulates into the same C (β = 1): one call after another, not batched.
      for (Index i = 0; i < s.batch; ++i)
        detail::device_gemm(tb, ta, int(s.n), int(s.m), int(s.k), alpha, b + i * s.stride_b,
                            int(ldb), 0, a + i * s.stride_a, int(lda), 0, beta, c, int(ldc), 0, 1);
    } else {
      detail::device_gemm(tb, ta, int(s.n), int(s.m), int(s.k), alpha, b, int(ldb), s.stride_b, a,
                          int(lda), s.stride_a, beta, c, int(ldc), s.stride_c, int(s.batch));
    }
#else
    static_assert(host,
                  "device GEMM needs KokkosKernels or cuBLAS (PF_ENABLE_KOKKOSKERNELS, or a CUDA "
                  "build with the CUDA toolkit's cuBLAS)");
#endif
  }
}

}  // namespace pf::kern
