// The deck of the 2D Kolmogorov-flow simulator (`simulator = "kolmogorov2d"`): every option,
// its default and its documentation, and its translation to a KolmogorovConfig.
#pragma once

#include "config/deck.hpp"
#include "sim/kolmogorov/trajectory.hpp"

#include <string>
#include <utility>
#include <vector>

namespace pf::sim {

// `simulators`: the choices of the top-level `simulator` key (all simulators the program has).
DeckSchema kolmogorov2d_schema(const std::vector<std::string>& simulators);

// Throws pf::InputError naming the deck, the key, the expected and the found value.
KolmogorovConfig kolmogorov2d_config(const Deck& deck);

// Physical parameters stored with the data (root attributes and constant scalars).
std::vector<std::pair<std::string, double>> kolmogorov2d_parameters(const KolmogorovConfig& c);

}  // namespace pf::sim
