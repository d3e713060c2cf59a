#include "sim/kolmogorov/kolmogorov_deck.hpp"

#include "config/deck_checks.hpp"
#include "sim/sim_deck_options.hpp"

#include <cmath>

namespace pf::sim {

DeckSchema kolmogorov2d_schema(const std::vector<std::string>& simulators) {
  using O = OptionType;
  DeckSchema s("kolmogorov2d",
               "Forced 2D turbulence (Kolmogorov flow) on [0, 2π)²: pseudo-spectral vorticity "
               "solver, output in The Well's HDF5 layout. Reference settings (FactFormer data): "
               "data/kolmogorov2d_reference.toml.");
  s.add(
      {"simulator", O::String, "\"kolmogorov2d\"", "which simulator this deck drives", simulators});
  s.add({"grid.solve_n", O::Int, "192",
         "solver grid points per side (even); reference 2048. Against a 512² run, the "
         "time-mean spectrum of 192² is within 4% up to k = 32 (all a 64² store holds), 256²'s "
         "within 5% up to k = 48; 128² piles energy up near its cut (+40% at k = 32)"});
  s.add({"grid.store_n", O::Int, "64",
         "stored grid points per side: every (solve_n/store_n)-th point, no filter (reference "
         "256)"});
  s.add({"physics.reynolds", O::Float, "1000.0", "Reynolds number: viscosity ν = 1/Re"});
  s.add({"physics.drag", O::Float, "0.1", "linear drag α (−αω in the vorticity equation)"});
  s.add({"physics.forcing_wavenumber", O::Int, "8", "k_f of f = A·cos(k_f y); 0: unforced"});
  s.add({"physics.forcing_amplitude", O::Float, "-8.0",
         "A of the vorticity forcing; the reference's −k_f with cos is the unit velocity "
         "forcing sin(k_f y) x̂"});
  s.add({"physics.forcing_shape",
         O::String,
         "\"cos\"",
         "f = A·cos(k_f y) or A·sin(k_f y)",
         {"cos", "sin"}});
  s.add({"initial.alpha", O::Float, "2.5", "GRF spectrum exponent: (|k|² + τ²)^(−α)"});
  s.add({"initial.tau", O::Float, "7.0", "GRF inverse length scale τ"});
  s.add({"initial.sigma", O::Float, "-1.0", "GRF amplitude; negative: τ^(α−1) as the reference"});
  s.add({"time.scheme",
         O::String,
         "\"cn_heun\"",
         "cn_heun: Crank–Nicolson + Heun, the reference's formula with dealiased stages (order "
         "2, 10 FFTs per step); cn_heun_reference: exactly the reference script, which masks "
         "only the new state (aliasing makes it order 1); etdrk4: exponential RK4 (order 4, 20 "
         "FFTs per step)",
         {"cn_heun", "cn_heun_reference", "etdrk4"}});
  s.add({"time.dt", O::Float, "0.00390625",
         "time step (1/256), or its upper bound when adaptive; each frame interval is split "
         "into equal steps no longer than this (reference 1e-4 at 2048²)"});
  s.add({"time.adaptive", O::Bool, "false",
         "choose the step from the CFL condition at the start of each frame interval"});
  s.add({"time.cfl", O::Float, "0.5", "adaptive: dt ≤ cfl·dx/(max|u| + max|v|)"});
  s.add({"time.warmup", O::Float, "5.0",
         "time before the first saved frame (reference 2 + 1/32; the drag time 1/α is 10)"});
  s.add({"time.frame_dt", O::Float, "0.03125", "time between saved frames (reference 1/32)"});
  s.add({"time.n_frames", O::Int, "128", "frames per trajectory (reference 320)"});
  s.add({"output.n_trajectories", O::Int, "8", "trajectories, each from its own seed"});
  s.add({"output.seed", O::Int, "0",
         "trajectory i draws its initial field from the stream (seed, i): results do not depend "
         "on the number of ranks"});
  s.add({"output.velocity", O::Bool, "false", "also store t1_fields/velocity [.., 2]"});
  s.add({"output.dataset_name", O::String, "\"kolmogorov2d\"", "root attribute dataset_name"});
  add_fft_planning_option(s);
  return s;
}

KolmogorovConfig kolmogorov2d_config(const Deck& d) {
  KolmogorovConfig c;
  c.solve_n = d.get_int("grid.solve_n");
  c.store_n = d.get_int("grid.store_n");
  if (c.solve_n < 8 || c.solve_n % 2 != 0)
    bad_setting(d, "grid.solve_n", "an even integer ≥ 8", std::to_string(c.solve_n));
  if (c.store_n < 1 || c.store_n > c.solve_n || c.solve_n % c.store_n != 0)
    bad_setting(d, "grid.store_n", "a divisor of grid.solve_n = " + std::to_string(c.solve_n),
                std::to_string(c.store_n));
  const double re = d.get_float("physics.reynolds");
  if (!(re > 0) || !std::isfinite(re))
    bad_setting(d, "physics.reynolds", "> 0", std::to_string(re));
  c.flow.nu = 1.0 / re;
  c.flow.drag = d.get_float("physics.drag");
  if (!(c.flow.drag >= 0)) bad_setting(d, "physics.drag", "≥ 0", std::to_string(c.flow.drag));
  const auto kf = d.get_int("physics.forcing_wavenumber");
  if (kf < 0 || 3 * kf > c.solve_n)
    bad_setting(d, "physics.forcing_wavenumber",
                "in [0, solve_n/3] = [0, " + std::to_string(c.solve_n / 3) +
                    "] (inside the dealiased "
                    "disc)",
                std::to_string(kf));
  c.flow.k_f = static_cast<int>(kf);
  c.flow.amplitude = d.get_float("physics.forcing_amplitude");
  c.flow.shape =
      d.get_string("physics.forcing_shape") == "sin" ? ForcingShape::Sin : ForcingShape::Cos;
  c.grf.alpha = d.get_float("initial.alpha");
  c.grf.tau = d.get_float("initial.tau");
  c.grf.sigma = d.get_float("initial.sigma");
  if (!(c.grf.alpha > 0)) bad_setting(d, "initial.alpha", "> 0", std::to_string(c.grf.alpha));
  if (!(c.grf.tau > 0)) bad_setting(d, "initial.tau", "> 0", std::to_string(c.grf.tau));
  c.scheme = parse_scheme(d.get_string("time.scheme"));
  c.dt = d.get_float("time.dt");
  if (!(c.dt > 0) || !std::isfinite(c.dt)) bad_setting(d, "time.dt", "> 0", std::to_string(c.dt));
  c.adaptive = d.get_bool("time.adaptive");
  c.cfl = d.get_float("time.cfl");
  if (!(c.cfl > 0)) bad_setting(d, "time.cfl", "> 0", std::to_string(c.cfl));
  c.warmup = d.get_float("time.warmup");
  if (!(c.warmup >= 0)) bad_setting(d, "time.warmup", "≥ 0", std::to_string(c.warmup));
  c.frame_dt = d.get_float("time.frame_dt");
  if (!(c.frame_dt > 0)) bad_setting(d, "time.frame_dt", "> 0", std::to_string(c.frame_dt));
  c.n_frames = d.get_int("time.n_frames");
  if (c.n_frames < 1) bad_setting(d, "time.n_frames", "≥ 1", std::to_string(c.n_frames));
  check_n_trajectories(d);
  c.seed = static_cast<std::uint64_t>(d.get_int("output.seed"));
  c.velocity = d.get_bool("output.velocity");
  c.measure_fft = measure_fft(d);
  return c;
}

std::vector<std::pair<std::string, double>> kolmogorov2d_parameters(const KolmogorovConfig& c) {
  return {{"Re", 1.0 / c.flow.nu},
          {"viscosity", c.flow.nu},
          {"drag", c.flow.drag},
          {"forcing_wavenumber", double(c.flow.k_f)},
          {"forcing_amplitude", c.flow.amplitude},
          {"solve_resolution", double(c.solve_n)}};
}

}  // namespace pf::sim
