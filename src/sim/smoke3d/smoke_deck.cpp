#include "sim/smoke3d/smoke_deck.hpp"

#include "config/deck_checks.hpp"
#include "sim/sim_deck_options.hpp"
#include "sim/smoke3d/diffusion.hpp"

#include <cmath>

namespace pf::sim {

DeckSchema smoke3d_schema(const std::vector<std::string>& simulators) {
  using O = OptionType;
  DeckSchema s("smoke3d",
               "Rising smoke in a closed box [0, L]³ (incompressible Boussinesq, smoke density "
               "as the only buoyancy): MAC grid, semi-Lagrangian advection, explicit diffusion, "
               "exact DCT pressure projection; output in The Well's HDF5 layout. Defaults are the "
               "FactFormer reference's (dataset/3d_smoke.py). docs/smoke.md describes the scheme.");
  s.add({"simulator", O::String, "\"smoke3d\"", "which simulator this deck drives", simulators});
  s.add({"grid.n", O::Int, "64", "cells per side (reference 64)"});
  s.add({"grid.length", O::Float, "8.0", "side L of the box [0, L]³ (reference 8)"});
  s.add({"physics.buoyancy", O::Float, "0.5", "b: force b·s along +z per unit smoke density"});
  s.add({"physics.viscosity", O::Float, "0.003",
         "ν of the explicit diffusion; ν·dt/dx² must not exceed 1/6 (reference 0.003: 0.144)"});
  s.add({"physics.walls",
         O::String,
         "\"zero_ghost\"",
         "tangential velocity at the walls: zero_ghost is the reference's (PhiFlow's ZERO "
         "extrapolation: ghost 0, the wall sees half the adjacent velocity, between no-slip and "
         "free-slip), the default so that data match the reference's; no_slip: ghost −v, zero "
         "velocity on the wall; free_slip: ghost +v, no shear",
         {"zero_ghost", "no_slip", "free_slip"}});
  s.add({"initial.noise_scale", O::Float, "15.0",
         "Noise scale: wavenumbers k = m·scale/L (reference 15)"});
  s.add({"initial.noise_smoothness", O::Float, "4.0",
         "Noise smoothness: spectrum amplitude (k²)^(−smoothness) (reference 4)"});
  s.add({"time.dt", O::Float, "0.75", "time step (reference 0.75)"});
  s.add({"time.advection",
         O::String,
         "\"semi_lagrangian\"",
         "semi_lagrangian: Euler backtrace, trilinear (the reference); maccormack: "
         "MacCormack with the min/max limiter (less numerical diffusion, three passes)",
         {"semi_lagrangian", "maccormack"}});
  s.add({"time.warmup_steps", O::Int, "8", "steps whose states are not saved (reference 8)"});
  s.add({"time.n_frames", O::Int, "20", "frames per trajectory (reference 20)"});
  s.add({"time.frame_every", O::Int, "1", "steps between saved frames (reference 1)"});
  s.add({"output.n_trajectories", O::Int, "8", "trajectories, each from its own seed"});
  s.add({"output.seed", O::Int, "0",
         "trajectory i draws its smoke from the stream (seed, i): results do not depend on the "
         "number of ranks"});
  s.add({"output.dataset_name", O::String, "\"smoke3d\"", "root attribute dataset_name"});
  add_fft_planning_option(s);
  return s;
}

smoke::SmokeConfig smoke3d_config(const Deck& d) {
  smoke::SmokeConfig c;
  c.grid.n = d.get_int("grid.n");
  if (c.grid.n < 2) bad_setting(d, "grid.n", "≥ 2", std::to_string(c.grid.n));
  c.grid.length = d.get_float("grid.length");
  if (!(c.grid.length > 0) || !std::isfinite(c.grid.length))
    bad_setting(d, "grid.length", "> 0", stream_text(c.grid.length));
  c.params.buoyancy = d.get_float("physics.buoyancy");
  if (!std::isfinite(c.params.buoyancy))
    bad_setting(d, "physics.buoyancy", "a finite number", stream_text(c.params.buoyancy));
  c.params.viscosity = d.get_float("physics.viscosity");
  if (!(c.params.viscosity >= 0) || !std::isfinite(c.params.viscosity))
    bad_setting(d, "physics.viscosity", "≥ 0", stream_text(c.params.viscosity));
  c.params.walls = smoke::parse_walls(d.get_string("physics.walls"));
  c.noise.scale = d.get_float("initial.noise_scale");
  if (!(c.noise.scale > 0))
    bad_setting(d, "initial.noise_scale", "> 0", stream_text(c.noise.scale));
  c.noise.smoothness = d.get_float("initial.noise_smoothness");
  if (!(c.noise.smoothness >= 0))
    bad_setting(d, "initial.noise_smoothness", "≥ 0", stream_text(c.noise.smoothness));
  c.params.dt = d.get_float("time.dt");
  if (!(c.params.dt > 0) || !std::isfinite(c.params.dt))
    bad_setting(d, "time.dt", "> 0", stream_text(c.params.dt));
  const double dn = smoke::diffusion_number(c.params.viscosity, c.params.dt, c.grid.dx());
  if (dn > smoke::kDiffusionLimit)
    bad_setting(
        d, "physics.viscosity",
        "ν·dt/dx² ≤ 1/6 for stable explicit diffusion (time.dt = " + stream_text(c.params.dt) +
            ", dx = " + stream_text(c.grid.dx()) + ": ν ≤ " +
            stream_text(smoke::kDiffusionLimit * c.grid.dx() * c.grid.dx() / c.params.dt) + ")",
        stream_text(c.params.viscosity) + " (ν·dt/dx² = " + stream_text(dn) + ")");
  c.params.advection = smoke::parse_advection(d.get_string("time.advection"));
  c.warmup_steps = d.get_int("time.warmup_steps");
  if (c.warmup_steps < 0)
    bad_setting(d, "time.warmup_steps", "≥ 0", std::to_string(c.warmup_steps));
  c.n_frames = d.get_int("time.n_frames");
  if (c.n_frames < 1) bad_setting(d, "time.n_frames", "≥ 1", std::to_string(c.n_frames));
  c.frame_every = d.get_int("time.frame_every");
  if (c.frame_every < 1) bad_setting(d, "time.frame_every", "≥ 1", std::to_string(c.frame_every));
  check_n_trajectories(d);
  c.seed = static_cast<std::uint64_t>(d.get_int("output.seed"));
  c.measure_fft = measure_fft(d);
  return c;
}

std::vector<std::pair<std::string, double>> smoke3d_parameters(const smoke::SmokeConfig& c) {
  return {{"buoyancy", c.params.buoyancy},
          {"viscosity", c.params.viscosity},
          {"dt", c.params.dt},
          {"length", c.grid.length},
          {"resolution", double(c.grid.n)}};
}

}  // namespace pf::sim
