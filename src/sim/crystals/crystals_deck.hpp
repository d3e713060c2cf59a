// The deck of the synthetic crystal generator (`simulator = "crystals"`) and its translation to
// an IonicCrystalConfig.
#pragma once

#include "config/deck.hpp"
#include "sim/crystals/ionic_crystals.hpp"

#include <string>
#include <vector>

namespace pf::sim {

DeckSchema crystals_schema(const std::vector<std::string>& simulators);

// Throws pf::InputError naming the deck, the key, the expected and the found value.
IonicCrystalConfig crystals_config(const Deck& deck);

}  // namespace pf::sim
