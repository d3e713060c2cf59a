// The deck of the 3D smoke-buoyancy simulator (`simulator = "smoke3d"`): every option, its
// default and its documentation, and its translation to a SmokeConfig.
#pragma once

#include "config/deck.hpp"
#include "sim/smoke3d/trajectory.hpp"

#include <string>
#include <utility>
#include <vector>

namespace pf::sim {

// `simulators`: the choices of the top-level `simulator` key.
DeckSchema smoke3d_schema(const std::vector<std::string>& simulators);

// Throws pf::InputError naming the deck, the key, the expected and the found value (including
// an explicit diffusion step beyond its stability limit).
smoke::SmokeConfig smoke3d_config(const Deck& deck);

// Physical parameters stored with the data (root attributes and constant scalars).
std::vector<std::pair<std::string, double>> smoke3d_parameters(const smoke::SmokeConfig& c);

}  // namespace pf::sim
