#include "models/timeseries/registry.hpp"

#include "core/error.hpp"
#include "models/timeseries/forecasters.hpp"

#include <functional>

namespace pf::ts {

namespace {

struct Entry {
  const char* name;
  std::function<void(DeckSchema&)> add_options;  // options only this model reads (may be empty)
  std::function<std::shared_ptr<Forecaster>(const Deck&, ForecastShape, Rng&)> make;
};

// One entry per model: add a model with one line here.
const std::vector<Entry>& entries() {
  static const std::vector<Entry> list = {
      {"linear", nullptr,
       [](const Deck& d, ForecastShape s, Rng& rng) {
         return std::make_shared<LinearForecaster>(s, d.get_bool("model.individual"), rng);
       }},
      {"nlinear", nullptr,
       [](const Deck& d, ForecastShape s, Rng& rng) {
         return std::make_shared<NLinearForecaster>(s, d.get_bool("model.individual"), rng);
       }},
      {"dlinear", nullptr,
       [](const Deck& d, ForecastShape s, Rng& rng) {
         return std::make_shared<DLinearForecaster>(s, d.get_bool("model.individual"),
                                                    d.get_int("model.moving_avg"), rng);
       }},
  };
  return list;
}

}  // namespace

std::vector<std::string> forecaster_names() {
  std::vector<std::string> names;
  for (const Entry& e : entries())
    names.push_back(e.name);
  return names;
}

void add_forecaster_options(DeckSchema& s) {
  using O = OptionType;
  s.add({"model.name", O::String, "\"dlinear\"", "forecaster", forecaster_names()});
  s.add({"model.individual", O::Bool, "false",
         "one time-axis head per channel instead of one shared by all (TSLib --individual)"});
  s.add({"model.moving_avg", O::Int, "25",
         "moving-average kernel of the trend decomposition (rows; the reference hard-codes 25; "
         "even kernels pad one row more in front than at the end)"});
  for (const Entry& e : entries())
    if (e.add_options) e.add_options(s);
}

std::shared_ptr<Forecaster> make_forecaster(const Deck& deck, ForecastShape shape, Rng& rng) {
  const std::string name = deck.get_string("model.name");
  for (const Entry& e : entries())
    if (name == e.name) return e.make(deck, shape, rng);
  std::string known;
  for (const Entry& e : entries())
    known += std::string(known.empty() ? "" : ", ") + e.name;
  throw InputError("deck " + deck.source() + ": option 'model.name': expected one of " + known +
                   ", found '" + name + "'");
}

}  // namespace pf::ts
