#include "core/runtime.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace pf {

void tune_host_allocator() {
#if defined(__GLIBC__)
  constexpr int kOneGiB = 1 << 30;
  mallopt(M_MMAP_THRESHOLD, kOneGiB);  // serve blocks up to 1 GiB from the heap
  mallopt(M_TRIM_THRESHOLD, kOneGiB);  // and keep up to 1 GiB of free heap for reuse
#endif
}

}  // namespace pf
