// Builds the forecaster a deck names (model.name) and declares every model's deck options.
#pragma once

#include "config/deck.hpp"
#include "core/rng.hpp"
#include "models/timeseries/forecaster.hpp"

#include <memory>
#include <string>
#include <vector>

namespace pf::ts {

// model.name with its choices, and the options of every registered model (model.individual,
// model.moving_avg, ...).
void add_forecaster_options(DeckSchema& schema);

// The names model.name accepts, in registration order.
std::vector<std::string> forecaster_names();

// InputError naming model.name when the deck names no registered model.
std::shared_ptr<Forecaster> make_forecaster(const Deck& deck, ForecastShape shape, Rng& rng);

}  // namespace pf::ts
