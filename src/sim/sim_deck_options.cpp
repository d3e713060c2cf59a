#include "sim/sim_deck_options.hpp"

#include "config/deck_checks.hpp"

#include <string>

namespace pf::sim {

void add_fft_planning_option(DeckSchema& schema) {
  schema.add({"fft.planning",
              OptionType::String,
              "\"estimate\"",
              "estimate: deterministic FFTW plans (bitwise reproducible output); measure: faster "
              "plans chosen by timing, whose last bits may differ from run to run",
              {"estimate", "measure"}});
}

bool measure_fft(const Deck& deck) {
  return deck.get_string("fft.planning") == "measure";
}

void check_n_trajectories(const Deck& deck) {
  const auto n = deck.get_int("output.n_trajectories");
  if (n < 1) bad_setting(deck, "output.n_trajectories", "≥ 1", std::to_string(n));
}

}  // namespace pf::sim
