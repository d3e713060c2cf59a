// WellWriter: writes trajectories of fields on a uniform grid in The Well's HDF5 layout
// (PolymathicAI/the_well, docs/data_format.md), 2D or 3D; docs/data-layout.md is the schema.
// Frames arrive one at a time (a simulator or a rollout never holds a whole trajectory) into
// datasets chunked one frame per chunk, shuffle + deflate. The file is written under a temporary
// name beside its destination and renamed only by commit(), so a failed run leaves no partial
// file behind.
#pragma once

#include "core/types.hpp"
#include "io/atomic_output.hpp"
#include "io/hdf5.hpp"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace pf::data {

struct WellAxis {
  std::string name;            // "x", "y", "z"
  std::vector<double> coords;  // grid coordinates (stored fp32, as The Well does)
  std::string bc;              // "periodic" | "wall" | "open" (stored upper case)
};

struct WellField {
  std::string name;
  int order = 0;  // 0: t0_fields/<name> [n_traj, n_steps, X, Y(, Z)]; 1: t1_fields/<name> [..., D]
};

struct WellHeader {
  std::string dataset_name;
  std::vector<WellAxis> axes;  // spatial axes in array order (x first)
  std::vector<double> time;    // [n_steps]
  Index n_traj = 0;
  std::vector<WellField> fields;
  std::vector<std::string> scalars;  // per-frame series -> scalars/<name> [n_traj, n_steps] fp64
  std::vector<std::pair<std::string, double>> parameters;  // root attrs + constant scalars
  std::string config_toml;  // resolved deck, root attribute "config" (omitted when empty)
  std::string producer;     // root attribute "producer", e.g. "portaformer 0.1.0" (if not empty)
};

// Number of points of every spatial axis, in array order.
Shape well_grid_shape(const WellHeader& header);
// Values per frame of `field`: prod(grid) (order 0) or prod(grid)·D (order 1).
Index well_frame_numel(const WellHeader& header, const WellField& field);

class WellWriter {
 public:
  // Checks the header (axes 1–3 with coordinates, distinct names, known bc and orders, time and
  // n_traj positive; std::invalid_argument otherwise), creates the temporary file beside `path`
  // and writes every attribute and the coordinate datasets at once.
  WellWriter(std::string path, WellHeader header);
  ~WellWriter();  // without commit(): the temporary file is removed
  WellWriter(const WellWriter&) = delete;
  WellWriter& operator=(const WellWriter&) = delete;

  const WellHeader& header() const { return header_; }

  // frame: fp32 row-major [X, Y(, Z)] (order 0) or [X, Y(, Z), D] (order 1).
  void write_frame(const std::string& field, Index traj, Index step, const float* frame);
  // values: [n_steps] for trajectory `traj`.
  void write_scalar_series(const std::string& scalar, Index traj,
                           const std::vector<double>& values);

  // Checks that every frame and series was written (std::logic_error naming the first missing
  // one), closes the file and renames it into place.
  void commit();

 private:
  Index field_index(const std::string& name) const;
  Index scalar_index(const std::string& name) const;
  void write_layout();

  WellHeader header_;
  AtomicOutput output_;
  std::unique_ptr<h5::File> file_;
  std::vector<std::vector<bool>> frame_written_;   // per field: [traj * n_steps + step]
  std::vector<std::vector<bool>> series_written_;  // per scalar: [traj]
};

}  // namespace pf::data
