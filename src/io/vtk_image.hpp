// VTK output for ParaView: point fields on uniform grids as XML ImageData (.vti), and .pvd
// collections that give ParaView the real simulation time of each file.
//
// Our fields are samples at grid coordinates, so they become point data on an ImageData whose
// points are the grid points: origin = first coordinate, spacing = coordinate step. Arrays are
// written as fp32, appended raw binary, zlib-compressed, with 64-bit block headers (> 4 GiB safe).
#pragma once

#include "core/types.hpp"

#include <string>
#include <utility>
#include <vector>

namespace pf::vtk {

// A uniform grid with 2 or 3 spatial axes in array order (x first). A 2D grid is written as an
// ImageData one point thick in z (origin 0, spacing 1).
struct ImageGrid {
  std::vector<Index> shape;
  std::vector<double> origin, spacing;
};

// One point field. `data` is row-major [X, Y(, Z)(, components)] — our C order, x slowest — and
// the writer reorders it to VTK's x-fastest layout. components = 1 is a scalar; 2 or 3 a vector:
// the first vector array becomes the active vectors, and 2-component vectors are padded with a
// zero third component, since ParaView's Glyph and Stream Tracer only take 3-component vectors.
// Other counts (e.g. 4 or 9) are written as they are.
struct ImageArray {
  std::string name;
  int components = 1;
  const float* data = nullptr;
};

// Writes `path` atomically (temporary file, then rename). `time` is stored as the field-data
// array "TimeValue", which ParaView reads as the dataset's time; each pair of `field_data` becomes
// a one-value string array (e.g. "config" = the resolved deck, "source" = the dataset path).
// Throws ShapeError for an inconsistent grid or array, std::invalid_argument for a missing or
// repeated array name, std::runtime_error naming the file when VTK cannot write it.
void write_image(const std::string& path, const ImageGrid& grid,
                 const std::vector<ImageArray>& arrays, double time,
                 const std::vector<std::pair<std::string, std::string>>& field_data);

// A ParaView .pvd collection: one DataSet entry per (time, file relative to the .pvd).
class PvdCollection {
 public:
  explicit PvdCollection(std::string path);

  // Adding a file that is already listed replaces its time instead of listing it twice, so a
  // resumed run that rewrites a frame keeps one entry for it. Entries keep their order of addition.
  void add(double time, const std::string& relative_file);

  // Atomic, so it can be called after every add and a killed run still leaves a valid .pvd that
  // lists every frame written so far.
  void write() const;

 private:
  struct Entry {
    double time;
    std::string file;
  };
  std::string path_;
  std::vector<Entry> entries_;
};

}  // namespace pf::vtk
