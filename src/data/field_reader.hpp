// Reading fields of simulation datasets (The Well's layout and PDEBench's 2D layouts) frame by
// frame: inspect a file once, then read any frames of any trajectory, channels last, in fp32.
// docs/datasets.md lists the accepted layouts and how channels are named.
#pragma once

#include "core/types.hpp"

#include <memory>
#include <string>
#include <vector>

namespace pf::data {

enum class FieldLayout {
  Well,              // t0_fields/, t1_fields/, t2_fields/: [n_traj, n_steps, X, Y(, Z)(, D(, D))]
  PdebenchFlat,      // compressible CFD: density, pressure, Vx, Vy(, Vz) [N, T, X, Y(, Z)]
  PdebenchIncompNS,  // incompressible NS: velocity [B, T, X, Y, 2], particles [B, T, X, Y, 1]
  PdebenchGroups,    // one group per sample: "0000"/data [T, X, Y, C], "0000"/grid/{x, y, t}
};
const char* layout_name(FieldLayout layout);

// One selected field and the channels it became: channels [first_channel, first_channel +
// components). order: 0 scalar, 1 vector (D components), 2 rank-2 tensor (D·D), -1 a plain
// channel stack (PDEBench's per-sample `data` with C > 1).
struct FieldGroup {
  std::string name;
  int order = 0;
  Index first_channel = 0, components = 1;
};

struct FieldFileInfo {
  std::string path;
  FieldLayout layout = FieldLayout::Well;
  std::string dataset_name;
  // Selected channels in order; a vector field expands to "velocity_x", "velocity_y"(, "_z"),
  // a rank-2 tensor field to "stress_xx", "stress_xy", ...
  std::vector<std::string> channels;
  Index n_traj = 0, n_steps = 0;
  std::vector<Index> spatial_shape;         // [X, Y] or [X, Y, Z]
  std::vector<std::vector<double>> coords;  // per spatial axis
  std::vector<double> time;                 // [n_steps] (trajectory 0's when sample-varying)
  std::vector<std::string> bc;              // per axis: "periodic" | "wall" | "open" | "unknown"
  std::string config;                       // the file's "config" root attribute if any
  // Dataset of each selected field, for messages (PDEBench groups: the first sample's).
  std::vector<std::string> field_paths;
  std::vector<FieldGroup> fields;  // the selected fields, in channel order

  Index n_channels() const { return static_cast<Index>(channels.size()); }
  Index frame_points() const;  // X·Y(·Z)
  Index frame_values() const { return frame_points() * n_channels(); }
};

// Detects the layout; `fields` = names of fields to read (scalar, vector or tensor field names
// of a Well file; dataset names for PDEBench); empty = every field in file order. Throws
// pf::InputError naming the file, the path, expected and found (missing datasets, inconsistent
// shapes across fields, unknown field with the list of available ones, non-float data).
FieldFileInfo inspect_fields(const std::string& path, const std::vector<std::string>& fields);

namespace detail {
struct FieldPlan;
}

// Opens the file for each read_frames call and closes it afterwards: no HDF5 handle (and no
// chunk cache) outlives a call, so many readers over many files hold no memory between reads
// (the_well issue #51). Opening costs ~0.1 ms, small beside one 256² frame's decompression.
// Safe to share between threads that each call read_frames (no mutable state), provided the
// HDF5 library is thread-safe.
class FieldReader {
 public:
  FieldReader(const std::string& path, const std::vector<std::string>& fields);
  ~FieldReader();
  FieldReader(FieldReader&&) noexcept;
  FieldReader& operator=(FieldReader&&) noexcept;

  const FieldFileInfo& info() const;

  // Frames [t0, t0 + count) of trajectory `traj`, all selected channels, fp32 host, laid out
  // [count, X, Y(, Z), C]. One HDF5 read per field for the whole frame range, so with frames
  // chunked one per chunk exactly the needed chunks are read. Non-finite values throw
  // pf::InputError naming the file, field, trajectory and step.
  void read_frames(Index traj, Index t0, Index count, float* out) const;

 private:
  std::unique_ptr<detail::FieldPlan> plan_;
};

}  // namespace pf::data
