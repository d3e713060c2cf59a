// WellWriter: every attribute, shape, value and the chunking/filters of a small 2D file read
// back; incomplete files are refused and leave nothing behind.
#include "data/well_writer.hpp"
#include "io/hdf5.hpp"
#include "scratch_dir.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <filesystem>

namespace {

using pf::Index;
using pf::Shape;
using pf::data::WellHeader;
using pf::data::WellWriter;

// A non-square grid (4 × 3) so swapped axes show.
WellHeader small_header() {
  WellHeader h;
  h.dataset_name = "unit";
  h.axes = {{"x", {0.0, 0.5, 1.0, 1.5}, "periodic"}, {"y", {0.0, 1.0, 2.0}, "wall"}};
  h.time = {0.25, 0.5, 0.75};
  h.n_traj = 2;
  h.fields = {{"vorticity", 0}, {"velocity", 1}};
  h.scalars = {"kinetic_energy"};
  h.parameters = {{"Re", 1000.0}, {"drag", 0.1}};
  h.config_toml = "simulator = \"unit\"\n";
  h.producer = "portaformer test";
  return h;
}

// Distinct value per (field, traj, step, element).
float value(int field, Index traj, Index step, Index e) {
  return float(field * 1000 + traj * 100 + step * 10) + 0.01f * float(e);
}

void write_all(WellWriter& w) {
  const WellHeader& h = w.header();
  for (Index b = 0; b < h.n_traj; ++b)
    for (Index t = 0; t < Index(h.time.size()); ++t)
      for (int f = 0; f < 2; ++f) {
        std::vector<float> frame(std::size_t(pf::data::well_frame_numel(h, h.fields[f])));
        for (std::size_t e = 0; e < frame.size(); ++e)
          frame[e] = value(f, b, t, Index(e));
        w.write_frame(h.fields[f].name, b, t, frame.data());
      }
  for (Index b = 0; b < h.n_traj; ++b)
    w.write_scalar_series("kinetic_energy", b, {1.0 + b, 2.0 + b, 3.0 + b});
}

// Chunk dims and whether shuffle and deflate are on, through the C API (pf::h5 does not expose
// them).
struct Storage {
  Shape chunk;
  bool shuffle = false, deflate = false;
};
Storage storage_of(const std::string& file, const std::string& dataset) {
  Storage s;
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  EXPECT_GE(f, 0) << file;
  const hid_t d = H5Dopen2(f, dataset.c_str(), H5P_DEFAULT);
  const hid_t p = H5Dget_create_plist(d);
  if (H5Pget_layout(p) == H5D_CHUNKED) {
    hsize_t dims[8];
    const int rank = H5Pget_chunk(p, 8, dims);
    for (int i = 0; i < rank; ++i)
      s.chunk.push_back(Index(dims[i]));
  }
  for (int i = 0; i < H5Pget_nfilters(p); ++i) {
    unsigned flags = 0;
    size_t n = 0;
    const H5Z_filter_t id =
        H5Pget_filter2(p, unsigned(i), &flags, &n, nullptr, 0, nullptr, nullptr);
    s.shuffle |= id == H5Z_FILTER_SHUFFLE;
    s.deflate |= id == H5Z_FILTER_DEFLATE;
  }
  H5Pclose(p);
  H5Dclose(d);
  H5Fclose(f);
  return s;
}

TEST(WellWriter, WritesTheWellLayout) {
  pf::testing::ScratchDir dir;
  const std::string path = dir.file("out/unit.hdf5");
  {
    WellWriter w(path, small_header());
    write_all(w);
    EXPECT_FALSE(std::filesystem::exists(path));  // only the temporary file so far
    w.commit();
  }
  ASSERT_TRUE(std::filesystem::exists(path));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.file("out")),
                          std::filesystem::directory_iterator()),
            1);  // no temporary left beside it

  // Before pf::h5 opens the file: HDF5 refuses a second open with other access properties.
  const Storage vorticity_storage = storage_of(path, "/t0_fields/vorticity");
  const Storage velocity_storage = storage_of(path, "/t1_fields/velocity");
  const auto f = pf::h5::File::open_read(path);
  EXPECT_EQ(f.string_attr("/", "dataset_name"), "unit");
  EXPECT_EQ(f.string_attr("/", "grid_type"), "cartesian");
  EXPECT_EQ(f.int_attr("/", "n_spatial_dims"), 2);
  EXPECT_EQ(f.int_attr("/", "n_trajectories"), 2);
  EXPECT_EQ(f.string_array_attr("/", "simulation_parameters"),
            (std::vector<std::string>{"Re", "drag"}));
  EXPECT_EQ(f.double_attr("/", "Re"), 1000.0);
  EXPECT_EQ(f.double_attr("/", "drag"), 0.1);
  EXPECT_EQ(f.string_attr("/", "config"), "simulator = \"unit\"\n");
  EXPECT_EQ(f.string_attr("/", "producer"), "portaformer test");

  EXPECT_EQ(f.string_array_attr("/dimensions", "spatial_dims"),
            (std::vector<std::string>{"x", "y"}));
  const auto time = f.read<double>("/dimensions/time");
  EXPECT_EQ(time.shape, Shape{3});
  EXPECT_EQ(time.values, (std::vector<double>{0.25, 0.5, 0.75}));
  EXPECT_FALSE(f.bool_attr("/dimensions/time", "sample_varying"));
  EXPECT_TRUE(f.bool_attr("/dimensions/time", "time_varying"));
  EXPECT_EQ(f.read<double>("/dimensions/x").values, (std::vector<double>{0, 0.5, 1, 1.5}));
  EXPECT_EQ(f.read<double>("/dimensions/y").values, (std::vector<double>{0, 1, 2}));
  for (const char* a : {"/dimensions/x", "/dimensions/y"}) {
    EXPECT_FALSE(f.bool_attr(a, "sample_varying"));
    EXPECT_FALSE(f.bool_attr(a, "time_varying"));
  }

  const std::string bx = "/boundary_conditions/x_periodic", by = "/boundary_conditions/y_wall";
  EXPECT_EQ(f.string_attr(bx, "bc_type"), "PERIODIC");
  EXPECT_EQ(f.string_attr(by, "bc_type"), "WALL");
  EXPECT_EQ(f.string_array_attr(bx, "associated_dims"), std::vector<std::string>{"x"});
  EXPECT_TRUE(f.string_array_attr(bx, "associated_fields").empty());
  EXPECT_FALSE(f.bool_attr(bx, "sample_varying"));
  EXPECT_FALSE(f.bool_attr(bx, "time_varying"));
  EXPECT_EQ(f.element_class(bx + "/mask"), pf::h5::ElementClass::Enum);  // h5py's bool
  EXPECT_EQ(f.read_bool(bx + "/mask").values, (std::vector<std::uint8_t>{1, 0, 0, 1}));
  EXPECT_EQ(f.read_bool(by + "/mask").values, (std::vector<std::uint8_t>{1, 0, 1}));
  EXPECT_EQ(f.dataset_shape(bx + "/values"), Shape{2});

  EXPECT_EQ(f.string_array_attr("/scalars", "field_names"),
            (std::vector<std::string>{"kinetic_energy", "Re", "drag"}));
  const auto ke = f.read<double>("/scalars/kinetic_energy");
  EXPECT_EQ(ke.shape, (Shape{2, 3}));
  EXPECT_EQ(ke.values, (std::vector<double>{1, 2, 3, 2, 3, 4}));
  EXPECT_TRUE(f.bool_attr("/scalars/kinetic_energy", "sample_varying"));
  EXPECT_TRUE(f.bool_attr("/scalars/kinetic_energy", "time_varying"));
  EXPECT_EQ(f.read<double>("/scalars/Re").values, std::vector<double>{1000.0});
  EXPECT_FALSE(f.bool_attr("/scalars/Re", "time_varying"));
  EXPECT_FALSE(f.bool_attr("/scalars/Re", "sample_varying"));

  EXPECT_EQ(f.string_array_attr("/t0_fields", "field_names"),
            std::vector<std::string>{"vorticity"});
  EXPECT_EQ(f.string_array_attr("/t1_fields", "field_names"), std::vector<std::string>{"velocity"});
  EXPECT_TRUE(f.string_array_attr("/t2_fields", "field_names").empty());
  const struct {
    std::string path;
    Shape shape;
    int f;
  } fields[] = {{"/t0_fields/vorticity", {2, 3, 4, 3}, 0},
                {"/t1_fields/velocity", {2, 3, 4, 3, 2}, 1}};
  for (const auto& c : fields) {
    SCOPED_TRACE(c.path);
    const auto data = f.read<float>(c.path);
    ASSERT_EQ(data.shape, c.shape);
    const Index per_frame = pf::numel(c.shape) / 6;
    for (Index b = 0; b < 2; ++b)
      for (Index t = 0; t < 3; ++t)
        for (Index e = 0; e < per_frame; ++e)
          ASSERT_EQ(data.values[std::size_t((b * 3 + t) * per_frame + e)], value(c.f, b, t, e));
    EXPECT_EQ(f.bool_array_attr(c.path, "dim_varying"), (std::vector<bool>{true, true}));
    EXPECT_TRUE(f.bool_attr(c.path, "sample_varying"));
    EXPECT_TRUE(f.bool_attr(c.path, "time_varying"));
    const Storage& s = c.f == 0 ? vorticity_storage : velocity_storage;
    Shape chunk = c.shape;
    chunk[0] = chunk[1] = 1;
    EXPECT_EQ(s.chunk, chunk);
    EXPECT_TRUE(s.shuffle);
    EXPECT_TRUE(s.deflate);
  }
}

TEST(WellWriter, RefusesAnIncompleteFileAndLeavesNothing) {
  pf::testing::ScratchDir dir;
  const std::string path = dir.file("unit.hdf5");
  {
    WellWriter w(path, small_header());
    std::vector<float> frame(12, 1.f);
    w.write_frame("vorticity", 0, 0, frame.data());
    try {
      w.commit();
      FAIL() << "commit accepted a file with missing frames";
    } catch (const std::logic_error& e) {
      EXPECT_NE(std::string(e.what()).find("step 1) of 'vorticity'"), std::string::npos)
          << e.what();
    }
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(WellWriter, ChecksHeaderAndIndices) {
  pf::testing::ScratchDir dir;
  WellHeader bad = small_header();
  bad.axes[1].bc = "reflecting";
  EXPECT_THROW(WellWriter(dir.file("a.h5"), bad), std::invalid_argument);
  bad = small_header();
  bad.scalars = {"Re"};  // clashes with a parameter's constant scalar
  EXPECT_THROW(WellWriter(dir.file("a.h5"), bad), std::invalid_argument);
  WellWriter w(dir.file("b.h5"), small_header());
  std::vector<float> frame(24, 0.f);
  EXPECT_THROW(w.write_frame("vorticity", 2, 0, frame.data()), std::out_of_range);
  EXPECT_THROW(w.write_frame("pressure", 0, 0, frame.data()), std::invalid_argument);
  EXPECT_THROW(w.write_scalar_series("kinetic_energy", 0, {1.0}), std::invalid_argument);
}

}  // namespace
