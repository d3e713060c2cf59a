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

}  // namespace pf::bench
