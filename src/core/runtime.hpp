// Process-wide settings made once at start-up, before Kokkos allocates anything.
#pragma once

namespace pf {

// Keeps freed tensor storage in the heap for reuse. glibc serves blocks above its mmap threshold
// (≤ 32 MiB) with fresh mmaps, so every large activation would cost page faults and kernel
// zeroing on first touch: measured here, `add` on 16M floats ran 7× slower (1.75 vs 0.25
// ns/element) and GELU 1.5× slower. A no-op on other C libraries.
void tune_host_allocator();

}  // namespace pf
