// `portaformer predict` for crystal property models: predictions, per-atom contributions, VTK.
#include "core/error.hpp"
#include "crystal/import.hpp"
#include "io/vtk_crystal.hpp"
#include "parallel/comm.hpp"
#include "property/atom_contributions.hpp"
#include "property/crystal_outputs.hpp"
#include "property/crystal_task.hpp"
#include "train/run_outputs.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>

namespace pf {

namespace {

// The structures to predict: files (read like import-structures, stopping at the first bad
// one), or a dataset / split of the training data.
CrystalSelection predict_inputs(const TrainedCrystalModel& trained,
                                const CrystalPredictOptions& o) {
  if (!o.structures.empty() && !o.data.empty())
    throw InputError("predict: expected --data or --structures, found both");
  if (o.structures.empty()) return select_structures(trained, o.data, o.split);
  crystal::ImportOptions io;
  io.read.occupancy = crystal::parse_occupancy_policy(o.occupancy, "option --occupancy");
  const auto sources = crystal::list_structure_files(o.structures, false);
  CrystalSelection sel;
  sel.path = fmt::format("{}", fmt::join(o.structures, " "));
  sel.data = crystal::import_structures(sources, io).dataset;
  sel.part = "all";
  for (size_t i = 0; i < sel.data.structures.size(); ++i)
    sel.indices.push_back(std::int64_t(i));
  return sel;
}

std::string file_stem(std::size_t n, const std::string& id) {
  std::string safe;
  for (char c : id)
    safe +=
        (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') ? c : '_';
  return fmt::format("{:05d}_{}", n, safe);
}

// Edges of one structure's graph as the VTK writer draws them (atom indices local).
vtk::CrystalEdges graph_edges(const crystal::PeriodicGraph& g) {
  vtk::CrystalEdges e;
  for (Index k = 0; k < g.num_edges(); ++k) {
    e.src.push_back(int(g.src[size_t(k)]));
    e.dst.push_back(int(g.dst[size_t(k)]));
    e.vector.push_back({g.displacement[size_t(3 * k)], g.displacement[size_t(3 * k + 1)],
                        g.displacement[size_t(3 * k + 2)]});
  }
  return e;
}

}  // namespace

int predict_crystal(const CrystalPredictOptions& o) {
  const Comm comm = Comm::world();
  const TrainedCrystalModel trained = load_trained_crystal_model(o.checkpoint);
  const TargetScaler& scaler = trained.scaler;
  const CrystalSelection sel = predict_inputs(trained, o);
  if (sel.indices.empty())
    throw InputError(fmt::format("{}: expected structures to predict in part '{}', found none",
                                 sel.path, sel.part));
  // One rank suffices for inference on a list of structures; the others have nothing to write.
  if (!comm.is_root()) return 0;
  const GraphCache graphs(sel.data.structures, crystal_graph_options(trained.deck));

  const std::string pred_name = scaler.target + "_predicted";
  const std::string contrib_name = scaler.target + "_contribution";
  // Offsets of every structure's atoms in the input's concatenated per-atom fields.
  std::vector<std::size_t> atom_start(sel.data.structures.size() + 1, 0);
  for (size_t i = 0; i < sel.data.structures.size(); ++i)
    atom_start[i + 1] = atom_start[i] + sel.data.structures[i].species.size();

  crystal::StructureDataset out;
  out.config = trained.deck_toml;
  out.producer = o.provenance;
  out.units[pred_name] = scaler.units;
  out.units[scaler.target] = scaler.units;
  for (const auto& [name, values] : sel.data.atom_fields)
    out.atom_fields[name];
  std::vector<double> predictions;
  const Index batch = trained.deck.get_int("eval.batch_size");
  NoGradGuard no_grad;
  for (size_t start = 0; start < sel.indices.size(); start += size_t(batch)) {
    const std::vector<std::int64_t> part(
        sel.indices.begin() + std::ptrdiff_t(start),
        sel.indices.begin() + std::ptrdiff_t(std::min(sel.indices.size(), start + size_t(batch))));
    const comformer::GraphBatch<float> g = graphs.batch(part, trained.model.num_species);
    const Tensor<float> h = trained.model.node_embeddings(g);
    const std::vector<float> y = trained.model.readout(h, g).to_host();
    std::vector<Index> offsets{0};
    for (std::int64_t i : part)
      offsets.push_back(offsets.back() + Index(sel.data.structures[size_t(i)].species.size()));
    const std::vector<double> c = linearized_contributions(trained.model, h, offsets);
    for (size_t k = 0; k < part.size(); ++k) {
      const auto i = size_t(part[k]);
      crystal::Structure s = sel.data.structures[i];
      const double p = scaler.to_units(double(y[k]));
      predictions.push_back(p);
      const auto truth = s.properties.find(scaler.target);
      std::map<std::string, double> props{{pred_name, p}};
      if (truth != s.properties.end()) props[scaler.target] = truth->second;
      s.properties = props;
      auto& contribution = out.atom_fields[contrib_name];
      for (Index a = offsets[k]; a < offsets[k + 1]; ++a)
        contribution.push_back(scaler.to_units(c[size_t(a)]));
      for (const auto& [name, values] : sel.data.atom_fields)
        out.atom_fields[name].insert(out.atom_fields[name].end(),
                                     values.begin() + std::ptrdiff_t(atom_start[i]),
                                     values.begin() + std::ptrdiff_t(atom_start[i + 1]));
      out.structures.push_back(std::move(s));
    }
  }

  std::filesystem::create_directories(o.output_dir);
  const std::filesystem::path dir(o.output_dir);
  std::size_t vtk_written = 0;
  if (o.vtk) {
    std::filesystem::create_directories(dir / "vtk");
    std::size_t atom = 0;
    for (size_t k = 0; k < out.structures.size(); ++k) {
      const crystal::Structure& s = out.structures[k];
      if (Index(k) < o.vtk_max) {
        vtk::CrystalVtkInput in;
        in.structure = &s;
        for (const auto& [name, values] : out.atom_fields)
          in.atom_fields[name].assign(values.begin() + std::ptrdiff_t(atom),
                                      values.begin() + std::ptrdiff_t(atom + s.species.size()));
        const vtk::CrystalEdges edges = graph_edges(graphs.graph(sel.indices[k]));
        in.edges = &edges;
        in.config = trained.deck_toml;
        vtk::write_crystal((dir / "vtk" / file_stem(k, s.id)).string(), in);
        ++vtk_written;
      }
      atom += s.species.size();
    }
  }
  crystal::write_structure_dataset((dir / "predictions.h5").string(), out);
  std::string csv = fmt::format("# portaformer predict: checkpoint {}, structures {} ({}), {}\n",
                                trained.checkpoint, sel.path, sel.part, o.provenance) +
                    deck_comment_lines(trained.deck_toml) +
                    fmt::format("id,atoms,{},{}\n", pred_name, scaler.target);
  for (size_t k = 0; k < out.structures.size(); ++k) {
    const crystal::Structure& s = out.structures[k];
    const auto truth = s.properties.find(scaler.target);
    csv += fmt::format(
        "{},{},{:.9g},{}\n", csv_field(s.id), s.species.size(), predictions[k],
        truth == s.properties.end() ? std::string() : fmt::format("{:.9g}", truth->second));
  }
  write_text_atomically((dir / "predictions.csv").string(), csv);
  nlohmann::json m;
  m["job"] = "predict";
  m["task"] = kCrystalTaskName;
  m["producer"] = o.provenance;
  m["checkpoint"] = trained.checkpoint;
  m["model"] = trained.model.name;
  m["structures_from"] = sel.path;
  m["part"] = sel.part;
  m["target"] = scaler.target;
  m["units"] = scaler.units;
  m["structures"] = out.structures.size();
  m["vtk_structures"] = vtk_written;
  m["contribution"] =
      "c_i = f(h_mean) + grad f(h_mean)·(h_i − h_mean), f the readout head; mean over atoms = "
      "prediction";
  m["config"] = trained.deck_toml;
  write_text_atomically((dir / "predict.json").string(), m.dump(2) + "\n");
  spdlog::info("predicted {} for {} structures → {}/predictions.csv, predictions.h5{}",
               scaler.target, out.structures.size(), o.output_dir,
               vtk_written ? fmt::format(", {} VTK sets in vtk/", vtk_written) : std::string());
  return 0;
}

}  // namespace pf
