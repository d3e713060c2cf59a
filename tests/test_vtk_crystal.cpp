// Crystal VTK files read back with VTK's own reader: atoms with their arrays, the cell box,
// edges drawn to the periodic image they act on, and the multiblock index.
#include "crystal/read_structure.hpp"
#include "crystal_fixtures.hpp"
#include "io/vtk_crystal.hpp"
#include "scratch_dir.hpp"

#include <gtest/gtest.h>

#include <vtkCellData.h>
#include <vtkDataArray.h>
#include <vtkFieldData.h>
#include <vtkMultiBlockDataSet.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPolyData.h>
#include <vtkSmartPointer.h>
#include <vtkStringArray.h>
#include <vtkXMLMultiBlockDataReader.h>
#include <vtkXMLPolyDataReader.h>

#include <fstream>
#include <sstream>

namespace {

using pf::testing::crystal_data;
using pf::testing::ScratchDir;

vtkSmartPointer<vtkPolyData> read_vtp(const std::string& path) {
  vtkNew<vtkXMLPolyDataReader> reader;
  reader->SetFileName(path.c_str());
  reader->Update();
  return reader->GetOutput();
}

TEST(VtkCrystal, AtomsCellEdgesAndIndex) {
  ScratchDir dir;
  pf::crystal::Structure s = pf::crystal::read_structure(crystal_data("NaCl_cartesian.vasp"));
  s.properties["energy"] = -6.5;
  std::vector<double> charge;
  for (int z : s.species)
    charge.push_back(z == 11 ? 1.0 : -1.0);
  // Na at the origin bonded to the Cl at (-a/2, 0, 0), i.e. atom 5 (a/2, 0, 0) one cell back.
  const double a = 5.6402;
  pf::vtk::CrystalEdges edges;
  edges.src = {0, 0};
  edges.dst = {5, 5};
  edges.vector = {{a / 2, 0, 0}, {-a / 2, 0, 0}};
  edges.fields["weight"] = {0.25, 0.75};
  pf::vtk::CrystalVtkInput input;
  input.structure = &s;
  input.atom_fields["charge"] = charge;
  input.edges = &edges;
  input.config = "seed = 1";
  const auto written = pf::vtk::write_crystal(dir.file("nacl"), input);
  ASSERT_EQ(written.size(), 4u);
  EXPECT_EQ(written.back(), dir.file("nacl.vtm"));

  const auto atoms = read_vtp(dir.file("nacl.vtp"));
  ASSERT_EQ(atoms->GetNumberOfPoints(), 8);
  EXPECT_EQ(atoms->GetNumberOfVerts(), 8);
  double p[3];
  atoms->GetPoint(4, p);  // Cl at (½, ½, ½) of the cell
  EXPECT_NEAR(p[0], a / 2, 1e-12);
  EXPECT_NEAR(p[2], a / 2, 1e-12);
  EXPECT_EQ(atoms->GetPointData()->GetArray("species")->GetTuple1(4), 17);
  EXPECT_EQ(atoms->GetPointData()->GetArray("charge")->GetTuple1(4), -1.0);
  EXPECT_EQ(atoms->GetPointData()->GetArray("occupancy")->GetTuple1(0), 1.0);
  EXPECT_EQ(atoms->GetFieldData()->GetArray("energy")->GetTuple1(0), -6.5);
  EXPECT_EQ(atoms->GetFieldData()->GetArray("lattice")->GetNumberOfTuples(), 9);
  auto* id = vtkStringArray::SafeDownCast(atoms->GetFieldData()->GetAbstractArray("id"));
  ASSERT_NE(id, nullptr);
  EXPECT_EQ(id->GetValue(0), "NaCl_cartesian.vasp");

  const auto cell = read_vtp(dir.file("nacl_cell.vtp"));
  EXPECT_EQ(cell->GetNumberOfPoints(), 8);
  EXPECT_EQ(cell->GetNumberOfLines(), 12);
  cell->GetPoint(7, p);
  EXPECT_NEAR(p[0] + p[1] + p[2], 3 * a, 1e-12);

  const auto lines = read_vtp(dir.file("nacl_edges.vtp"));
  ASSERT_EQ(lines->GetNumberOfLines(), 2);
  lines->GetPoint(3, p);  // second edge ends at the image outside the cell
  EXPECT_NEAR(p[0], -a / 2, 1e-12);
  EXPECT_NEAR(lines->GetCellData()->GetArray("length")->GetTuple1(1), a / 2, 1e-12);
  EXPECT_EQ(lines->GetCellData()->GetArray("weight")->GetTuple1(1), 0.75);
  EXPECT_EQ(lines->GetCellData()->GetArray("dst")->GetTuple1(0), 5);

  std::ifstream vtm(dir.file("nacl.vtm"));
  std::stringstream text;
  text << vtm.rdbuf();
  for (const char* part :
       {"name=\"atoms\" file=\"nacl.vtp\"", "name=\"cell\" file=\"nacl_cell.vtp\"",
        "name=\"edges\" file=\"nacl_edges.vtp\""}) {
    EXPECT_NE(text.str().find(part), std::string::npos) << part;
  }
  vtkNew<vtkXMLMultiBlockDataReader> reader;
  reader->SetFileName(dir.file("nacl.vtm").c_str());
  reader->Update();
  auto* blocks = vtkMultiBlockDataSet::SafeDownCast(reader->GetOutputDataObject(0));
  ASSERT_NE(blocks, nullptr);
  ASSERT_EQ(blocks->GetNumberOfBlocks(), 3u);
  EXPECT_EQ(vtkPolyData::SafeDownCast(blocks->GetBlock(2))->GetNumberOfLines(), 2);
}

TEST(VtkCrystal, RefusesMismatchedArrays) {
  ScratchDir dir;
  const auto s = pf::crystal::read_structure(crystal_data("POSCAR_vasp4_CsCl"));
  pf::vtk::CrystalVtkInput input;
  input.structure = &s;
  input.atom_fields["charge"] = {1.0};
  EXPECT_THROW(pf::vtk::write_crystal(dir.file("x"), input), std::invalid_argument);
  input.atom_fields = {{"species", {1.0, 2.0}}};
  EXPECT_THROW(pf::vtk::write_crystal(dir.file("x"), input), std::invalid_argument);
  input.atom_fields.clear();
  pf::vtk::CrystalEdges edges{{0}, {2}, {{1, 0, 0}}, {}};
  input.edges = &edges;
  EXPECT_THROW(pf::vtk::write_crystal(dir.file("x"), input), std::invalid_argument);
}

}  // namespace
