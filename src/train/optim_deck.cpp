#include "train/optim_deck.hpp"

namespace pf {

AdamConfig adam_config_from_deck(const Deck& deck) {
  AdamConfig ac;
  ac.beta1 = deck.get_float("optim.beta1");
  ac.beta2 = deck.get_float("optim.beta2");
  ac.eps = deck.get_float("optim.eps");
  ac.weight_decay = deck.get_float("optim.weight_decay");
  ac.decoupled = deck.get_string("optim.name") == "adamw";
  ac.decay_vectors = deck.get_bool("optim.decay_biases_and_norms");
  return ac;
}

ScheduleConfig schedule_config_from_deck(const Deck& deck) {
  ScheduleConfig sc;
  sc.kind = deck.get_string("schedule.kind");
  sc.lr = deck.get_float("optim.lr");
  sc.total_steps = deck.get_int("train.steps");
  if (deck.has("schedule.warmup_steps")) sc.warmup_steps = deck.get_int("schedule.warmup_steps");
  if (deck.has("schedule.min_lr")) sc.min_lr = deck.get_float("schedule.min_lr");
  if (deck.has("schedule.step_size")) sc.step_size = deck.get_int("schedule.step_size");
  if (deck.has("schedule.gamma")) sc.gamma = deck.get_float("schedule.gamma");
  if (deck.has("schedule.pct_start")) sc.pct_start = deck.get_float("schedule.pct_start");
  if (deck.has("schedule.div_factor")) sc.div_factor = deck.get_float("schedule.div_factor");
  if (deck.has("schedule.final_div_factor"))
    sc.final_div_factor = deck.get_float("schedule.final_div_factor");
  return sc;
}

}  // namespace pf
