// VTK ImageData and .pvd output, read back with VTK's own XML reader and parser: geometry, the
// x/y/z ordering of values, vector padding, field data, time, and atomic replacement.
#include "core/error.hpp"
#include "io/vtk_image.hpp"
#include "scratch_dir.hpp"

#include <gtest/gtest.h>

#include <vtkDataArray.h>
#include <vtkFieldData.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkStringArray.h>
#include <vtkXMLDataElement.h>
#include <vtkXMLDataParser.h>
#include <vtkXMLImageDataReader.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using pf::Index;

vtkSmartPointer<vtkImageData> read_image(const std::string& path) {
  vtkNew<vtkXMLImageDataReader> reader;
  reader->SetFileName(path.c_str());
  reader->Update();
  EXPECT_EQ(reader->GetErrorCode(), 0u) << path;
  return reader->GetOutput();
}

std::string field_string(vtkImageData* image, const char* name) {
  auto* array = vtkStringArray::SafeDownCast(image->GetFieldData()->GetAbstractArray(name));
  if (array == nullptr || array->GetNumberOfValues() != 1)
    return "<missing " + std::string(name) + ">";
  return array->GetValue(0);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> directory_entries(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Distinct values per index and component, exact in fp32, so any transposition shows.
float code(Index i, Index j, Index k, Index c) {
  return float(1000 * i + 100 * j + 10 * k + c);
}

TEST(VtkImage, TwoDimensionalScalarAndVectorReadBack) {
  pf::testing::ScratchDir dir;
  const Index nx = 5, ny = 4;
  std::vector<float> scalar(nx * ny), velocity(nx * ny * 2);
  for (Index i = 0; i < nx; ++i) {
    for (Index j = 0; j < ny; ++j) {
      scalar[i * ny + j] = code(i, j, 0, 0);
      for (Index c = 0; c < 2; ++c)
        velocity[(i * ny + j) * 2 + c] = code(i, j, 0, c + 1);
    }
  }
  const pf::vtk::ImageGrid grid{{nx, ny}, {0.5, -1.0}, {0.25, 0.125}};
  const std::string config = "[model]\ndim = 64 # \"quoted\" & <tagged>\n";
  const std::string path = dir.file("frames/frame.vti");
  pf::vtk::write_image(path, grid,
                       {{"vorticity", 1, scalar.data()}, {"velocity", 2, velocity.data()}}, 2.375,
                       {{"config", config}, {"source", "data/kolmogorov.h5"}});

  auto image = read_image(path);
  int dims[3];
  image->GetDimensions(dims);
  EXPECT_EQ(dims[0], nx);
  EXPECT_EQ(dims[1], ny);
  EXPECT_EQ(dims[2], 1);
  double origin[3], spacing[3];
  image->GetOrigin(origin);
  image->GetSpacing(spacing);
  EXPECT_EQ(origin[0], 0.5);
  EXPECT_EQ(origin[1], -1.0);
  EXPECT_EQ(origin[2], 0.0);
  EXPECT_EQ(spacing[0], 0.25);
  EXPECT_EQ(spacing[1], 0.125);

  vtkPointData* points = image->GetPointData();
  ASSERT_NE(points->GetScalars(), nullptr);
  ASSERT_NE(points->GetVectors(), nullptr);
  EXPECT_STREQ(points->GetScalars()->GetName(), "vorticity");
  EXPECT_STREQ(points->GetVectors()->GetName(), "velocity");
  vtkDataArray* w = points->GetArray("vorticity");
  vtkDataArray* u = points->GetArray("velocity");
  EXPECT_EQ(w->GetDataType(), VTK_FLOAT);
  EXPECT_EQ(u->GetNumberOfComponents(), 3);  // padded for glyphs
  for (Index i = 0; i < nx; ++i) {
    for (Index j = 0; j < ny; ++j) {
      int ijk[3] = {int(i), int(j), 0};
      const vtkIdType id = image->ComputePointId(ijk);
      double xyz[3];
      image->GetPoint(id, xyz);
      // Point (i, j) sits at the grid coordinates of array index [i, j]: exact binary fractions.
      EXPECT_EQ(xyz[0], 0.5 + 0.25 * i);
      EXPECT_EQ(xyz[1], -1.0 + 0.125 * j);
      EXPECT_EQ(w->GetComponent(id, 0), code(i, j, 0, 0)) << i << "," << j;
      EXPECT_EQ(u->GetComponent(id, 0), code(i, j, 0, 1));
      EXPECT_EQ(u->GetComponent(id, 1), code(i, j, 0, 2));
      EXPECT_EQ(u->GetComponent(id, 2), 0.0);
    }
  }

  EXPECT_EQ(field_string(image, "config"), config);
  EXPECT_EQ(field_string(image, "source"), "data/kolmogorov.h5");
  vtkDataArray* time = image->GetFieldData()->GetArray("TimeValue");
  ASSERT_NE(time, nullptr);
  EXPECT_EQ(time->GetTuple1(0), 2.375);

  const std::string head = read_text(path).substr(0, 400);
  EXPECT_NE(head.find("compressor=\"vtkZLibDataCompressor\""), std::string::npos) << head;
  EXPECT_NE(head.find("header_type=\"UInt64\""), std::string::npos) << head;
  EXPECT_EQ(directory_entries(dir.file("frames")), std::vector<std::string>{"frame.vti"});
}

TEST(VtkImage, ThreeDimensionalOrderingAndWideArrays) {
  pf::testing::ScratchDir dir;
  const Index nx = 4, ny = 3, nz = 5;
  std::vector<float> density(nx * ny * nz), velocity(nx * ny * nz * 3), stress(nx * ny * nz * 4);
  for (Index i = 0; i < nx; ++i) {
    for (Index j = 0; j < ny; ++j) {
      for (Index k = 0; k < nz; ++k) {
        const Index p = (i * ny + j) * nz + k;
        density[p] = code(i, j, k, 0);
        for (Index c = 0; c < 3; ++c)
          velocity[p * 3 + c] = code(i, j, k, c + 1);
        for (Index c = 0; c < 4; ++c)
          stress[p * 4 + c] = -code(i, j, k, c);
      }
    }
  }
  const std::string path = dir.file("smoke.vti");
  pf::vtk::write_image(path, {{nx, ny, nz}, {0.0, 0.0, 0.0}, {0.125, 0.25, 0.5}},
                       {{"velocity", 3, velocity.data()},
                        {"density", 1, density.data()},
                        {"stress", 4, stress.data()}},
                       0.75, {});
  auto image = read_image(path);
  int dims[3];
  image->GetDimensions(dims);
  EXPECT_EQ(dims[0], nx);
  EXPECT_EQ(dims[1], ny);
  EXPECT_EQ(dims[2], nz);
  double spacing[3];
  image->GetSpacing(spacing);
  EXPECT_EQ(spacing[2], 0.5);
  vtkPointData* points = image->GetPointData();
  EXPECT_STREQ(points->GetVectors()->GetName(), "velocity");
  EXPECT_STREQ(points->GetScalars()->GetName(), "density");
  vtkDataArray* s = points->GetArray("stress");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->GetNumberOfComponents(), 4);
  for (Index i = 0; i < nx; ++i) {
    for (Index j = 0; j < ny; ++j) {
      for (Index k = 0; k < nz; ++k) {
        int ijk[3] = {int(i), int(j), int(k)};
        const vtkIdType id = image->ComputePointId(ijk);
        EXPECT_EQ(points->GetArray("density")->GetComponent(id, 0), code(i, j, k, 0));
        for (int c = 0; c < 3; ++c)
          EXPECT_EQ(points->GetArray("velocity")->GetComponent(id, c), code(i, j, k, c + 1));
        EXPECT_EQ(s->GetComponent(id, 3), -code(i, j, k, 3));
      }
    }
  }
  EXPECT_EQ(image->GetFieldData()->GetArray("TimeValue")->GetTuple1(0), 0.75);
}

TEST(VtkImage, ReplacesAnExistingFileAndRejectsBadInput) {
  pf::testing::ScratchDir dir;
  const std::string path = dir.file("f.vti");
  const std::vector<float> ones(6, 1.0f), twos(6, 2.0f);
  const pf::vtk::ImageGrid grid{{2, 3}, {0, 0}, {1, 1}};
  pf::vtk::write_image(path, grid, {{"a", 1, ones.data()}}, 0.0, {});
  pf::vtk::write_image(path, grid, {{"a", 1, twos.data()}}, 1.0, {});
  EXPECT_EQ(read_image(path)->GetPointData()->GetArray("a")->GetComponent(5, 0), 2.0);
  EXPECT_EQ(directory_entries(dir.path()), std::vector<std::string>{"f.vti"});

  using pf::vtk::write_image;
  EXPECT_THROW(write_image(path, {{6}, {0}, {1}}, {{"a", 1, ones.data()}}, 0, {}), pf::ShapeError);
  EXPECT_THROW(write_image(path, {{2, 3}, {0}, {1, 1}}, {}, 0, {}), pf::ShapeError);
  EXPECT_THROW(write_image(path, {{2, 3}, {0, 0}, {1, 0}}, {}, 0, {}), pf::ShapeError);
  EXPECT_THROW(write_image(path, grid, {{"a", 1, ones.data()}, {"a", 1, twos.data()}}, 0, {}),
               std::invalid_argument);
  EXPECT_THROW(write_image(path, grid, {{"a", 1, nullptr}}, 0, {}), std::invalid_argument);
  EXPECT_THROW(write_image(path, grid, {{"a", 0, ones.data()}}, 0, {}), pf::ShapeError);
  EXPECT_EQ(directory_entries(dir.path()), std::vector<std::string>{"f.vti"});
}

struct PvdEntry {
  double time;
  std::string file;
};

std::vector<PvdEntry> parse_pvd(const std::string& path) {
  vtkNew<vtkXMLDataParser> parser;
  parser->SetFileName(path.c_str());
  EXPECT_EQ(parser->Parse(), 1) << path;
  vtkXMLDataElement* root = parser->GetRootElement();
  EXPECT_STREQ(root->GetName(), "VTKFile");
  EXPECT_STREQ(root->GetAttribute("type"), "Collection");
  vtkXMLDataElement* collection = root->FindNestedElementWithName("Collection");
  std::vector<PvdEntry> entries;
  if (collection == nullptr) return entries;
  for (int e = 0; e < collection->GetNumberOfNestedElements(); ++e) {
    vtkXMLDataElement* dataset = collection->GetNestedElement(e);
    EXPECT_STREQ(dataset->GetName(), "DataSet");
    entries.push_back(
        {std::stod(dataset->GetAttribute("timestep")), dataset->GetAttribute("file")});
  }
  return entries;
}

TEST(VtkPvd, ListsExactTimesAndRelativeFilesAfterEveryWrite) {
  pf::testing::ScratchDir dir;
  const std::vector<float> field(4, 3.0f);
  const std::vector<double> times = {0.0, 1.0 / 32.0, 1.0 / 3.0};
  pf::vtk::PvdCollection pvd(dir.file("out/rollout.pvd"));
  for (size_t t = 0; t < times.size(); ++t) {
    const std::string name = "frames/frame_" + std::to_string(t) + ".vti";
    pf::vtk::write_image(dir.file("out/" + name), {{2, 2}, {0, 0}, {1, 1}},
                         {{"w", 1, field.data()}}, times[t], {});
    pvd.add(times[t], name);
    pvd.write();
    const auto entries = parse_pvd(dir.file("out/rollout.pvd"));
    ASSERT_EQ(entries.size(), t + 1);      // a run killed now would leave every frame so far listed
    EXPECT_EQ(entries[t].time, times[t]);  // written with enough digits to read back exactly
    EXPECT_EQ(entries[t].file, name);
    EXPECT_EQ(read_image(dir.file("out/" + entries[t].file))->GetNumberOfPoints(), 4);
  }
  EXPECT_EQ(directory_entries(dir.file("out")),
            (std::vector<std::string>{"frames", "rollout.pvd"}));
}

TEST(VtkPvd, RewritingAFrameKeepsOneEntryAndNamesAreEscaped) {
  pf::testing::ScratchDir dir;
  pf::vtk::PvdCollection pvd(dir.file("a.pvd"));
  pvd.add(0.5, "x&y <1>.vti");
  pvd.add(1.5, "b.vti");
  pvd.add(0.25, "x&y <1>.vti");
  pvd.write();
  const auto entries = parse_pvd(dir.file("a.pvd"));
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].file, "x&y <1>.vti");
  EXPECT_EQ(entries[0].time, 0.25);
  EXPECT_EQ(entries[1].file, "b.vti");
  EXPECT_EQ(entries[1].time, 1.5);
}

}  // namespace
