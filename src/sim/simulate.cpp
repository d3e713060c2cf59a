#include "sim/simulate.hpp"

#include "core/error.hpp"
#include "core/progress.hpp"
#include "data/well_writer.hpp"
#include "io/hdf5.hpp"
#include "sim/crystals/crystals_deck.hpp"
#include "sim/crystals/crystals_run.hpp"
#include "sim/kolmogorov/kolmogorov_deck.hpp"

#include <spdlog/spdlog.h>
#include <toml.hpp>

#include <cmath>
#include <filesystem>

namespace pf::sim {

std::vector<std::string> simulator_names() {
  return {"kolmogorov2d", "crystals"};
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

void run_kolmogorov2d(const Deck& deck, const SimulateOptions& options, const Comm& comm) {
  const KolmogorovConfig c = kolmogorov2d_config(deck);
  const Index n_traj = deck.get_int("output.n_trajectories");
  const int rank = comm.rank(), size = comm.size();
  std::vector<Index> mine;
  for (Index t = rank; t < n_traj; t += size)
    mine.push_back(t);

  // Rank 0 owns the final file; the others write parts holding only their trajectories.
  const std::string path = rank == 0 ? options.output : part_path(options.output, rank);
  std::unique_ptr<data::WellWriter> writer;
  if (!mine.empty() || rank == 0)
    writer = std::make_unique<data::WellWriter>(
        path,
        kolmogorov_header(deck, c, rank == 0 ? n_traj : Index(mine.size()), options.producer));

  const Index per_traj = trajectory_intervals(c);
  Progress progress("simulate (rank 0)", Index(mine.size()) * per_traj, comm.is_root());
  spdlog::info("kolmogorov2d: {} trajectories over {} rank(s), {}² solved, {}² stored, {} frames",
               n_traj, size, c.solve_n, c.store_n, c.n_frames);
  for (std::size_t l = 0; l < mine.size(); ++l) {
    const Index traj = mine[l];
    const Index slot = rank == 0 ? traj : Index(l);
    std::vector<std::vector<double>> series(kScalars.size(),
                                            std::vector<double>(std::size_t(c.n_frames)));
    const auto sink = [&](const TrajectoryFrame& f) {
      writer->write_frame("vorticity", slot, f.index, f.vorticity.data());
      if (c.velocity) writer->write_frame("velocity", slot, f.index, f.velocity.data());
      const auto k = std::size_t(f.index);
      series[0][k] = f.diagnostics.energy;
      series[1][k] = f.diagnostics.enstrophy;
      series[2][k] = f.diagnostics.dissipation;
      series[3][k] = f.diagnostics.injection;
    };
    const Index base = Index(l) * per_traj;
    const auto tick = [&](Index done, const Flow& flow, const FlowDiagnostics& d) {
      progress.update(base + done, fmt::format("trajectory {}, t = {:.3f}, E = {:.4g}, Z = {:.4g}",
                                               traj, flow.time(), d.energy, d.enstrophy));
    };
    run_trajectory(c, traj, sink, tick);
    for (std::size_t s = 0; s < kScalars.size(); ++s)
      writer->write_scalar_series(kScalars[s], slot, series[s]);
  }
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

}  // namespace

void run_simulation(const Deck& deck, const SimulateOptions& options, const Comm& comm) {
  const std::string simulator = deck.get_string("simulator");
  if (simulator == "kolmogorov2d") return run_kolmogorov2d(deck, options, comm);
  if (simulator == "crystals") return run_crystals(deck, options, comm);
  throw InputError("simulator: no runner for \"" + simulator + "\"");
}

}  // namespace pf::sim
