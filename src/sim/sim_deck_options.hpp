// Options every simulator's deck declares and checks alike.
#pragma once

#include "config/deck.hpp"

namespace pf::sim {

// fft.planning: "estimate" (deterministic plans) or "measure".
void add_fft_planning_option(DeckSchema& schema);
bool measure_fft(const Deck& deck);

// output.n_trajectories must be at least 1 (pf::InputError naming the deck otherwise).
void check_n_trajectories(const Deck& deck);

}  // namespace pf::sim
