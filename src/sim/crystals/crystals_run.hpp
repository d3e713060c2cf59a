// `portaformer simulate` with `simulator = "crystals"`: structures spread over ranks, one
// structure dataset written by rank 0.
#pragma once

#include "config/deck.hpp"
#include "parallel/comm.hpp"
#include "sim/simulate.hpp"

namespace pf::sim {

// Rank r generates the contiguous block [N·r/size, N·(r+1)/size) and, unless it is rank 0,
// writes it to <output>.part<r>; rank 0 appends the parts in rank order and writes the final
// dataset (atomically), so the file is the same for any number of ranks.
void run_crystals(const Deck& deck, const SimulateOptions& options, const Comm& comm);

}  // namespace pf::sim
