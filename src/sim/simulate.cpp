#include "sim/simulate.hpp"

#include "core/error.hpp"
#include "core/progress.hpp"
#include "data/well_writer.hpp"
#include "io/hdf5.hpp"
#include "sim/crystals/crystals_deck.hpp"
#include "sim/crystals/crystals_run.hpp"
#include "sim/kolmogorov/kolmogorov_deck.hpp"
#include "sim/smoke3d/smoke_deck.hpp"

#include <spdlog/spdlog.h>
#include <toml.hpp>

#include <cmath>
#include <filesystem>
#include <functional>

namespace pf::sim {

std::vector<std::string> simulator_names() {
  return {"kolmogorov2d", "smoke3d", "crystals"};
}

std::string simulator_of(const std::string& deck_path, const std::vector<std::string>& overrides) {
  std::string name = "kolmogorov2d";
  if (!deck_path.empty()) {
    try {
      const toml::value doc = toml::parse(deck_path);
      if (doc.is_table() && doc.contains("simulator") && doc.at("simulator").is_string())
        name = doc.at("simulator").as_string();
    } catch (const std::exception&) {
      // Deck::resolve reports the file's problem with its location.
    }
  }
  for (const auto& o : overrides) {
    const auto eq = o.find('=');
    if (eq == std::string::npos) continue;
    std::string key = o.substr(0, eq), value = o.substr(eq + 1);
    const auto trim = [](std::string s) {
      const auto b = s.find_first_not_of(" \t\""), e = s.find_last_not_of(" \t\"");
      return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    };
    if (trim(key) == "simulator") name = trim(value);
  }
  return name;
}

DeckSchema simulator_schema(const std::string& simulator) {
  const auto names = simulator_names();
  if (simulator == "kolmogorov2d") return kolmogorov2d_schema(names);
  if (simulator == "smoke3d") return smoke3d_schema(names);
  if (simulator == "crystals") return crystals_schema(names);
  std::string choices;
  for (const auto& n : names)
    choices += (choices.empty() ? "" : ", ") + n;
  throw InputError("simulator: expected one of " + choices + ", found \"" + simulator + "\"");
}

namespace {

const std::vector<std::string> kScalars = {"kinetic_energy", "enstrophy", "dissipation",
                                           "energy_injection"};

data::WellHeader kolmogorov_header(const Deck& deck, const KolmogorovConfig& c, Index n_traj,
                                   const std::string& producer) {
  data::WellHeader h;
  h.dataset_name = deck.get_string("output.dataset_name");
  std::vector<double> coords(static_cast<std::size_t>(c.store_n));
  for (Index i = 0; i < c.store_n; ++i)
    coords[std::size_t(i)] = 2.0 * M_PI * double(i) / c.store_n;
  h.axes = {{"x", coords, "periodic"}, {"y", coords, "periodic"}};
  h.time = frame_times(c);
  h.n_traj = n_traj;
  h.fields = {{"vorticity", 0}};
  if (c.velocity) h.fields.push_back({"velocity", 1});
  h.scalars = kScalars;
  h.parameters = kolmogorov2d_parameters(c);
  h.config_toml = deck.to_toml();
  h.producer = producer;
  return h;
}

std::string part_path(const std::string& output, int rank) {
  return output + ".part" + std::to_string(rank);
}

// Copies every trajectory of a part file into the final file as trajectory rank + l·size.
void merge_part(const std::string& part, int rank, int size, data::WellWriter& out) {
  const h5::File in = h5::File::open_read(part);
  const data::WellHeader& h = out.header();
  const Index n_local = in.int_attr("/", "n_trajectories");
  const auto n_steps = static_cast<Index>(h.time.size());
  for (const auto& field : h.fields) {
    const std::string path = "/t" + std::to_string(field.order) + "_fields/" + field.name;
    const Shape shape = in.dataset_shape(path);
    Shape offset(shape.size(), 0), count = shape;
    count[0] = count[1] = 1;
    std::vector<float> frame(static_cast<std::size_t>(data::well_frame_numel(h, field)));
    for (Index l = 0; l < n_local; ++l)
      for (Index s = 0; s < n_steps; ++s) {
        offset[0] = l;
        offset[1] = s;
        in.read_slab(path, offset, count, frame.data());
        out.write_frame(field.name, rank + l * size, s, frame.data());
      }
  }
  std::vector<double> series(static_cast<std::size_t>(n_steps));
  for (const auto& name : h.scalars)
    for (Index l = 0; l < n_local; ++l) {
      in.read_slab("/scalars/" + name, {l, 0}, {1, n_steps}, series.data());
      out.write_scalar_series(name, rank + l * size, series);
    }
}

// Runs one trajectory into `writer` at row `slot`; `base` is its first unit of progress.
using TrajectoryRun =
    std::function<void(Index traj, Index slot, data::WellWriter& writer, Index base, Progress&)>;

// Spreads n_traj trajectories over the ranks (trajectory i on rank i mod size) and gathers
// them into options.output; header(n) is the file header for n trajectories.
void spread_trajectories(Index n_traj, Index per_traj,
                         const std::function<data::WellHeader(Index)>& header,
                         const TrajectoryRun& run_one, const SimulateOptions& options,
                         const Comm& comm) {
  const int rank = comm.rank(), size = comm.size();
  std::vector<Index> mine;
  for (Index t = rank; t < n_traj; t += size)
    mine.push_back(t);

  // Rank 0 owns the final file; the others write parts holding only their trajectories.
  const std::string path = rank == 0 ? options.output : part_path(options.output, rank);
  std::unique_ptr<data::WellWriter> writer;
  if (!mine.empty() || rank == 0)
    writer =
        std::make_unique<data::WellWriter>(path, header(rank == 0 ? n_traj : Index(mine.size())));

  Progress progress("simulate (rank 0)", Index(mine.size()) * per_traj, comm.is_root());
  for (std::size_t l = 0; l < mine.size(); ++l)
    run_one(mine[l], rank == 0 ? mine[l] : Index(l), *writer, Index(l) * per_traj, progress);
  progress.finish();
  if (rank != 0 && writer) writer->commit();
  comm.barrier();
  if (rank == 0) {
    for (int r = 1; r < size && r < n_traj; ++r)
      merge_part(part_path(options.output, r), r, size, *writer);
    writer->commit();
    for (int r = 1; r < size && r < n_traj; ++r)
      std::filesystem::remove(part_path(options.output, r));
    spdlog::info("wrote {}", options.output);
  }
  comm.barrier();
}

void run_kolmogorov2d(const Deck& deck, const SimulateOptions& options, const Comm& comm) {
  const KolmogorovConfig c = kolmogorov2d_config(deck);
  const Index n_traj = deck.get_int("output.n_trajectories");
  spdlog::info("kolmogorov2d: {} trajectories over {} rank(s), {}² solved, {}² stored, {} frames",
               n_traj, comm.size(), c.solve_n, c.store_n, c.n_frames);
  const auto run_one = [&](Index traj, Index slot, data::WellWriter& writer, Index base,
                           Progress& progress) {
    std::vector<std::vector<double>> series(kScalars.size(),
                                            std::vector<double>(std::size_t(c.n_frames)));
    const auto sink = [&](const TrajectoryFrame& f) {
      writer.write_frame("vorticity", slot, f.index, f.vorticity.data());
      if (c.velocity) writer.write_frame("velocity", slot, f.index, f.velocity.data());
      const auto k = std::size_t(f.index);
      series[0][k] = f.diagnostics.energy;
      series[1][k] = f.diagnostics.enstrophy;
      series[2][k] = f.diagnostics.dissipation;
      series[3][k] = f.diagnostics.injection;
    };
    const auto tick = [&](Index done, const Flow& flow, const FlowDiagnostics& d) {
      progress.update(base + done, fmt::format("trajectory {}, t = {:.3f}, E = {:.4g}, Z = {:.4g}",
                                               traj, flow.time(), d.energy, d.enstrophy));
    };
    run_trajectory(c, traj, sink, tick);
    for (std::size_t s = 0; s < kScalars.size(); ++s)
      writer.write_scalar_series(kScalars[s], slot, series[s]);
  };
  spread_trajectories(
      n_traj, trajectory_intervals(c),
      [&](Index n) { return kolmogorov_header(deck, c, n, options.producer); }, run_one, options,
      comm);
}

const std::vector<std::string> kSmokeScalars = {"smoke_mass", "kinetic_energy", "max_divergence",
                                                "z_center_of_mass"};

data::WellHeader smoke_header(const Deck& deck, const smoke::SmokeConfig& c, Index n_traj,
                              const std::string& producer) {
  data::WellHeader h;
  h.dataset_name = deck.get_string("output.dataset_name");
  std::vector<double> centres(static_cast<std::size_t>(c.grid.n));
  for (Index i = 0; i < c.grid.n; ++i)
    centres[std::size_t(i)] = (double(i) + 0.5) * c.grid.dx();
  h.axes = {{"x", centres, "wall"}, {"y", centres, "wall"}, {"z", centres, "wall"}};
  h.time = smoke::frame_times(c);
  h.n_traj = n_traj;
  h.fields = {{"density", 0}, {"velocity", 1}};
  h.scalars = kSmokeScalars;
  h.parameters = smoke3d_parameters(c);
  h.config_toml = deck.to_toml();
  h.producer = producer;
  return h;
}

void run_smoke3d(const Deck& deck, const SimulateOptions& options, const Comm& comm) {
  const smoke::SmokeConfig c = smoke3d_config(deck);
  const Index n_traj = deck.get_int("output.n_trajectories");
  spdlog::info("smoke3d: {} trajectories over {} rank(s), {}³ cells, {} steps, {} frames", n_traj,
               comm.size(), c.grid.n, smoke::trajectory_steps(c), c.n_frames);
  // One stepper per rank: its FFTW plans serve every trajectory the rank runs.
  smoke::SmokeStepper stepper(c.grid, c.params, c.measure_fft);
  const auto run_one = [&](Index traj, Index slot, data::WellWriter& writer, Index base,
                           Progress& progress) {
    std::vector<std::vector<double>> series(kSmokeScalars.size(),
                                            std::vector<double>(std::size_t(c.n_frames)));
    const auto sink = [&](const smoke::SmokeFrame& f) {
      writer.write_frame("density", slot, f.index, f.density.data());
      writer.write_frame("velocity", slot, f.index, f.velocity.data());
      const auto k = std::size_t(f.index);
      series[0][k] = f.diagnostics.mass;
      series[1][k] = f.diagnostics.kinetic_energy;
      series[2][k] = f.diagnostics.max_divergence;
      series[3][k] = f.diagnostics.z_center;
    };
    const auto tick = [&](Index done, const smoke::SmokeState&, const smoke::SmokeDiagnostics& d) {
      progress.update(
          base + done,
          fmt::format("trajectory {}, step {}, E = {:.4g}, z_c = {:.4f}, |div| = {:.2g}", traj,
                      done, d.kinetic_energy, d.z_center, d.max_divergence));
    };
    smoke::run_trajectory(c, stepper, traj, sink, tick);
    for (std::size_t s = 0; s < kSmokeScalars.size(); ++s)
      writer.write_scalar_series(kSmokeScalars[s], slot, series[s]);
  };
  spread_trajectories(
      n_traj, smoke::trajectory_steps(c),
      [&](Index n) { return smoke_header(deck, c, n, options.producer); }, run_one, options, comm);
}

}  // namespace

void run_simulation(const Deck& deck, const SimulateOptions& options, const Comm& comm) {
  const std::string simulator = deck.get_string("simulator");
  if (simulator == "kolmogorov2d") return run_kolmogorov2d(deck, options, comm);
  if (simulator == "smoke3d") return run_smoke3d(deck, options, comm);
  if (simulator == "crystals") return run_crystals(deck, options, comm);
  throw InputError("simulator: no runner for \"" + simulator + "\"");
}

}  // namespace pf::sim
