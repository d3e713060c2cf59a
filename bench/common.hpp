// Shared helpers for pf_bench: deterministic fills and a buffer cache so that the large arrays a
// benchmark needs are allocated and filled once, not once per Google Benchmark re-invocation.
#pragma once

#include "core/types.hpp"

#include <cstdint>
#include <functional>
#include <string>

namespace pf::bench {

// A cached float array of n elements filled with values in [lo, hi) from a hash of the index
// and `seed`. The same (name, n) returns the same View for the whole run.
Vec<float> cached_vec(const std::string& name, Index n, float lo = -1.f, float hi = 1.f,
                      std::uint32_t seed = 1);

// Fills v with values in [lo, hi) from a hash of the index (device-clean, one parallel_for).
void fill_hashed(const Vec<float>& v, float lo, float hi, std::uint32_t seed);

// Drops every cached View and runs every registered release; called by main before Kokkos is
// finalised.
void release_buffers();

// Runs `release` in release_buffers(): for benchmark state that holds Views (a model).
void on_release(std::function<void()> release);

// The "<field>:" line of /proc/self/status in MB (VmRSS: resident now, VmHWM: peak); 0 if absent.
double status_mb(const char* field);

// Resets the process's peak RSS (VmHWM) to the current RSS; false where the kernel refuses.
bool reset_peak_rss();

}  // namespace pf::bench
