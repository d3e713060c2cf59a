#include "io/vtk_crystal.hpp"

#include "crystal/lattice.hpp"
#include "io/atomic_output.hpp"

#include <vtkCellArray.h>
#include <vtkCellData.h>
#include <vtkDoubleArray.h>
#include <vtkErrorCode.h>
#include <vtkFieldData.h>
#include <vtkIntArray.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkStringArray.h>
#include <vtkXMLPolyDataWriter.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace pf::vtk {
namespace {

namespace fs = std::filesystem;

vtkNew<vtkDoubleArray> double_array(const std::string& name, const std::vector<double>& values) {
  vtkNew<vtkDoubleArray> array;
  array->SetName(name.c_str());
  array->SetNumberOfValues(static_cast<vtkIdType>(values.size()));
  for (std::size_t i = 0; i < values.size(); ++i)
    array->SetValue(static_cast<vtkIdType>(i), values[i]);
  return array;
}

vtkNew<vtkIntArray> int_array(const std::string& name, const std::vector<int>& values) {
  vtkNew<vtkIntArray> array;
  array->SetName(name.c_str());
  array->SetNumberOfValues(static_cast<vtkIdType>(values.size()));
  for (std::size_t i = 0; i < values.size(); ++i)
    array->SetValue(static_cast<vtkIdType>(i), values[i]);
  return array;
}

void check_fields(const std::map<std::string, std::vector<double>>& fields, std::size_t count,
                  const char* what, const std::vector<std::string>& reserved) {
  for (const auto& [name, values] : fields) {
    for (const auto& r : reserved) {
      if (name == r)
        throw std::invalid_argument(std::string(what) + " array '" + name +
                                    "' clashes with a built-in array");
    }
    if (values.size() != count) {
      throw std::invalid_argument(std::string(what) + " array '" + name + "': expected " +
                                  std::to_string(count) + " values, found " +
                                  std::to_string(values.size()));
    }
  }
}

void write_polydata(const std::string& path, vtkPolyData* data) {
  AtomicOutput output(path);
  vtkNew<vtkXMLPolyDataWriter> writer;
  writer->SetInputData(data);
  writer->SetFileName(output.temp_path().c_str());
  writer->SetDataModeToAppended();
  writer->SetEncodeAppendedData(false);
  writer->SetCompressorTypeToZLib();
  writer->SetHeaderTypeToUInt64();
  if (writer->Write() != 1) {
    throw std::runtime_error(path + ": VTK could not write " + output.temp_path() + " (" +
                             vtkErrorCode::GetStringFromErrorCode(writer->GetErrorCode()) + ")");
  }
  output.commit();
}

void add_field_data(vtkPolyData* data, const CrystalVtkInput& input) {
  const crystal::Structure& s = *input.structure;
  vtkNew<vtkStringArray> id;
  id->SetName("id");
  id->InsertNextValue(s.id);
  data->GetFieldData()->AddArray(id);
  std::vector<double> lattice;
  for (const auto& row : s.lattice)
    lattice.insert(lattice.end(), row.begin(), row.end());
  data->GetFieldData()->AddArray(double_array("lattice", lattice));
  for (const auto& [name, value] : s.properties) {
    if (name == "id" || name == "lattice" || name == "config") continue;
    data->GetFieldData()->AddArray(double_array(name, {value}));
  }
  if (!input.config.empty()) {
    vtkNew<vtkStringArray> config;
    config->SetName("config");
    config->InsertNextValue(input.config);
    data->GetFieldData()->AddArray(config);
  }
}

// Atoms as vertices with their per-atom arrays.
vtkNew<vtkPolyData> atoms_polydata(const CrystalVtkInput& input) {
  const crystal::Structure& s = *input.structure;
  vtkNew<vtkPoints> points;
  points->SetDataTypeToDouble();
  vtkNew<vtkCellArray> verts;
  for (std::size_t a = 0; a < s.frac.size(); ++a) {
    const auto r = crystal::frac_to_cart(s.frac[a], s.lattice);
    const vtkIdType id = points->InsertNextPoint(r[0], r[1], r[2]);
    verts->InsertNextCell(1, &id);
  }
  vtkNew<vtkPolyData> data;
  data->SetPoints(points);
  data->SetVerts(verts);
  data->GetPointData()->SetScalars(int_array("species", s.species));
  std::vector<double> occupancy = s.occupancy;
  if (occupancy.empty()) occupancy.assign(s.frac.size(), 1.0);
  data->GetPointData()->AddArray(double_array("occupancy", occupancy));
  for (const auto& [name, values] : input.atom_fields) {
    data->GetPointData()->AddArray(double_array(name, values));
  }
  add_field_data(data, input);
  return data;
}

vtkNew<vtkPolyData> cell_polydata(const crystal::Structure& s) {
  vtkNew<vtkPoints> points;
  points->SetDataTypeToDouble();
  for (int corner = 0; corner < 8; ++corner) {
    const crystal::Vec3 f{double(corner & 1), double((corner >> 1) & 1), double((corner >> 2) & 1)};
    const auto r = crystal::frac_to_cart(f, s.lattice);
    points->InsertNextPoint(r[0], r[1], r[2]);
  }
  vtkNew<vtkCellArray> lines;
  // Corners differing in one bit are joined: 12 edges of the parallelepiped.
  for (int corner = 0; corner < 8; ++corner) {
    for (int bit : {1, 2, 4}) {
      if (corner & bit) continue;
      const vtkIdType ends[2] = {corner, corner | bit};
      lines->InsertNextCell(2, ends);
    }
  }
  vtkNew<vtkPolyData> data;
  data->SetPoints(points);
  data->SetLines(lines);
  return data;
}

vtkNew<vtkPolyData> edges_polydata(const crystal::Structure& s, const CrystalEdges& e) {
  vtkNew<vtkPoints> points;
  points->SetDataTypeToDouble();
  vtkNew<vtkCellArray> lines;
  std::vector<double> length;
  for (std::size_t k = 0; k < e.src.size(); ++k) {
    const auto r = crystal::frac_to_cart(s.frac[static_cast<std::size_t>(e.src[k])], s.lattice);
    const auto& v = e.vector[k];
    const vtkIdType a = points->InsertNextPoint(r[0], r[1], r[2]);
    const vtkIdType b = points->InsertNextPoint(r[0] + v[0], r[1] + v[1], r[2] + v[2]);
    const vtkIdType ends[2] = {a, b};
    lines->InsertNextCell(2, ends);
    length.push_back(std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]));
  }
  vtkNew<vtkPolyData> data;
  data->SetPoints(points);
  data->SetLines(lines);
  data->GetCellData()->SetScalars(double_array("length", length));
  data->GetCellData()->AddArray(int_array("src", e.src));
  data->GetCellData()->AddArray(int_array("dst", e.dst));
  for (const auto& [name, values] : e.fields)
    data->GetCellData()->AddArray(double_array(name, values));
  return data;
}

void write_vtm(const std::string& path,
               const std::vector<std::pair<std::string, std::string>>& blocks) {
  AtomicOutput output(path);
  {
    std::ofstream out(output.temp_path());
    out << "<?xml version=\"1.0\"?>\n"
           "<VTKFile type=\"vtkMultiBlockDataSet\" version=\"1.0\" byte_order=\"LittleEndian\">\n"
           "  <vtkMultiBlockDataSet>\n";
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      out << "    <DataSet index=\"" << i << "\" name=\"" << blocks[i].first << "\" file=\""
          << blocks[i].second << "\"/>\n";
    }
    out << "  </vtkMultiBlockDataSet>\n</VTKFile>\n";
    if (!out.flush()) throw std::runtime_error(path + ": cannot write " + output.temp_path());
  }
  output.commit();
}

}  // namespace

std::vector<std::string> write_crystal(const std::string& stem, const CrystalVtkInput& input) {
  if (input.structure == nullptr) throw std::invalid_argument("write_crystal: no structure");
  const crystal::Structure& s = *input.structure;
  const std::size_t n = s.frac.size();
  if (s.species.size() != n) {
    throw std::invalid_argument("write_crystal: " + std::to_string(s.species.size()) +
                                " species for " + std::to_string(n) + " atoms");
  }
  check_fields(input.atom_fields, n, "atom", {"species", "occupancy"});
  if (input.edges != nullptr) {
    const CrystalEdges& e = *input.edges;
    const std::size_t m = e.src.size();
    if (e.dst.size() != m || e.vector.size() != m) {
      throw std::invalid_argument("write_crystal: edges need src, dst and vector of one length");
    }
    for (std::size_t k = 0; k < m; ++k) {
      if (e.src[k] < 0 || e.dst[k] < 0 || std::size_t(e.src[k]) >= n ||
          std::size_t(e.dst[k]) >= n) {
        throw std::invalid_argument("write_crystal: edge " + std::to_string(k) + " joins atoms " +
                                    std::to_string(e.src[k]) + " and " + std::to_string(e.dst[k]) +
                                    " of " + std::to_string(n));
      }
    }
    check_fields(e.fields, m, "edge", {"length", "src", "dst"});
  }
  const std::string name = fs::path(stem).filename().string();
  std::vector<std::string> written;
  std::vector<std::pair<std::string, std::string>> blocks;
  const auto emit = [&](const std::string& block, const std::string& suffix, vtkPolyData* data) {
    write_polydata(stem + suffix, data);
    written.push_back(stem + suffix);
    blocks.emplace_back(block, name + suffix);
  };
  emit("atoms", ".vtp", atoms_polydata(input));
  emit("cell", "_cell.vtp", cell_polydata(s));
  if (input.edges != nullptr) emit("edges", "_edges.vtp", edges_polydata(s, *input.edges));
  write_vtm(stem + ".vtm", blocks);
  written.push_back(stem + ".vtm");
  return written;
}

}  // namespace pf::vtk
