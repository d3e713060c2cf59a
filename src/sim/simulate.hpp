// `portaformer simulate`: the simulators a deck can choose by its top-level `simulator` key, and
// the run that spreads trajectories over MPI ranks into one file in The Well's layout.
#pragma once

#include "config/deck.hpp"
#include "parallel/comm.hpp"

#include <string>
#include <vector>

namespace pf::sim {

std::vector<std::string> simulator_names();  // {"kolmogorov2d", "crystals"}

// The `simulator` a deck asks for: the last `simulator=...` override, else the deck file's
// top-level key, else "kolmogorov2d". A malformed file yields the default here and its error
// from Deck::resolve afterwards.
std::string simulator_of(const std::string& deck_path, const std::vector<std::string>& overrides);

// The schema of `simulator`; pf::InputError naming the choices when it is unknown.
DeckSchema simulator_schema(const std::string& simulator);

struct SimulateOptions {
  std::string output;    // final HDF5 path
  std::string producer;  // root attribute "producer"
};

// Trajectory i runs on rank i mod size. Rank 0 writes its own trajectories into the final
// file; every other rank writes a part file beside it (<output>.part<rank>) that rank 0 copies
// in after a barrier and removes. The final file appears, complete, under its name only at
// the end, and is the same for any number of ranks.
void run_simulation(const Deck& deck, const SimulateOptions& options, const Comm& comm);

}  // namespace pf::sim
