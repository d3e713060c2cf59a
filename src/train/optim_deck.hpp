// The optimizer and schedule every training task reads from its deck's optim.* and schedule.*
// options. A task declares the schedule options it offers; those it leaves out keep their
// defaults here.
#pragma once

#include "config/deck.hpp"
#include "optim/adam.hpp"
#include "optim/schedule.hpp"

namespace pf {

// optim.beta1, beta2, eps, weight_decay, name ("adam" | "adamw"), decay_biases_and_norms.
AdamConfig adam_config_from_deck(const Deck& deck);

// schedule.kind with optim.lr and train.steps, then whichever of schedule.warmup_steps, min_lr,
// step_size, gamma, pct_start, div_factor and final_div_factor the deck declares.
ScheduleConfig schedule_config_from_deck(const Deck& deck);

}  // namespace pf
