// pf::h5 and AtomicOutput: exact round trips, conversions, attributes, and errors that name the
// file, the object, what was expected and what was found.
#include "core/error.hpp"
#include "io/atomic_output.hpp"
#include "io/hdf5.hpp"
#include "scratch_dir.hpp"

#include <gtest/gtest.h>

#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numeric>
#include <system_error>

namespace {

using pf::InputError;
using pf::Shape;
using pf::h5::File;
using pf::testing::ScratchDir;

// Runs `action`, expecting an InputError whose message holds every one of `parts`.
template <class Action>
void expect_input_error(Action action, const std::vector<std::string>& parts) {
  try {
    action();
    ADD_FAILURE() << "expected pf::InputError";
  } catch (const InputError& e) {
    const std::string message = e.what();
    for (const std::string& part : parts) {
      EXPECT_NE(message.find(part), std::string::npos)
          << "message lacks \"" << part << "\": " << message;
    }
  }
}

template <class T>
std::vector<T> sample_values(size_t n) {
  std::vector<T> v(n);
  for (size_t i = 0; i < n; ++i) {
    if constexpr (std::is_floating_point_v<T>) {
      v[i] = static_cast<T>(std::sin(0.37 * i) * 1e3) / T(7);  // non-round, sign-changing
    } else {
      v[i] = static_cast<T>(i * 37 + 11);
    }
  }
  return v;
}

template <class T>
class Hdf5RoundTrip : public ::testing::Test {};
using ElementTypes = ::testing::Types<float, double, std::int64_t, std::uint64_t, std::uint8_t>;
TYPED_TEST_SUITE(Hdf5RoundTrip, ElementTypes);

TYPED_TEST(Hdf5RoundTrip, EveryRankZeroToFourIsExact) {
  ScratchDir dir;
  const std::vector<Shape> shapes = {{}, {5}, {2, 3}, {2, 3, 4}, {2, 1, 3, 2}, {0, 3}};
  {
    File file = File::create(dir.file("data.h5"));
    for (size_t i = 0; i < shapes.size(); ++i) {
      auto values = sample_values<TypeParam>(static_cast<size_t>(pf::numel(shapes[i])));
      file.write("/deep/group/rank" + std::to_string(i), values, shapes[i]);
    }
  }
  File file = File::open_read(dir.file("data.h5"));
  for (size_t i = 0; i < shapes.size(); ++i) {
    const std::string path = "/deep/group/rank" + std::to_string(i);
    auto read = file.read<TypeParam>(path);
    EXPECT_EQ(read.shape, shapes[i]) << path;
    EXPECT_EQ(file.dataset_shape(path), shapes[i]) << path;
    EXPECT_EQ(read.values, sample_values<TypeParam>(static_cast<size_t>(pf::numel(shapes[i]))))
        << path;
  }
}

TEST(Hdf5, ExtremeValuesSurvive) {
  ScratchDir dir;
  const std::vector<double> doubles = {std::numeric_limits<double>::denorm_min(), -0.0,
                                       std::numeric_limits<double>::infinity(),
                                       std::numeric_limits<double>::max()};
  const std::vector<std::uint64_t> words = {0, std::numeric_limits<std::uint64_t>::max(),
                                            0x8000000000000001ull};
  const std::vector<std::int64_t> ints = {std::numeric_limits<std::int64_t>::min(), -1,
                                          std::numeric_limits<std::int64_t>::max()};
  {
    File file = File::create(dir.file("x.h5"));
    file.write("d", doubles, {4});
    file.write("u", words, {3});
    file.write("i", ints, {3});
  }
  File file = File::open_read(dir.file("x.h5"));
  auto d = file.read<double>("/d").values;
  EXPECT_EQ(d[0], doubles[0]);
  EXPECT_TRUE(std::signbit(d[1]));
  EXPECT_EQ(d[2], doubles[2]);
  EXPECT_EQ(d[3], doubles[3]);
  EXPECT_EQ(file.read<std::uint64_t>("/u").values, words);
  EXPECT_EQ(file.read<std::int64_t>("/i").values, ints);
}

TEST(Hdf5, ReadConvertsNumericTypes) {
  ScratchDir dir;
  {
    File file = File::create(dir.file("c.h5"));
    file.write<double>("/f64", {0.5, -1.25, 3.0}, {3});
    file.write<std::int64_t>("/i64", {7, -2}, {2});
  }
  File file = File::open_read(dir.file("c.h5"));
  EXPECT_EQ(file.read<float>("/f64").values, (std::vector<float>{0.5f, -1.25f, 3.0f}));
  EXPECT_EQ(file.read<double>("/i64").values, (std::vector<double>{7.0, -2.0}));
  // Floating point into integers would truncate silently, so it is refused.
  expect_input_error([&] { file.read<std::int64_t>("/f64"); },
                     {dir.file("c.h5"), "/f64", "integer", "float64"});
}

TEST(Hdf5, OverwriteReplacesDataset) {
  ScratchDir dir;
  File file = File::create(dir.file("o.h5"));
  file.write<float>("/a", {1, 2, 3}, {3});
  file.write<float>("/a", {4, 5}, {1, 2});
  auto read = file.read<float>("/a");
  EXPECT_EQ(read.shape, (Shape{1, 2}));
  EXPECT_EQ(read.values, (std::vector<float>{4, 5}));
}

TEST(Hdf5, ReopenReadWriteKeepsAndAdds) {
  ScratchDir dir;
  File::create(dir.file("rw.h5")).write<float>("/a", {1}, {1});
  {
    File file = File::open_rw(dir.file("rw.h5"));
    file.write<float>("/b/c", {2}, {});
  }
  File file = File::open_read(dir.file("rw.h5"));
  EXPECT_EQ(file.list_datasets(), (std::vector<std::string>{"/a", "/b/c"}));
}

TEST(Hdf5, ChunkedCompressedWriteRoundTripsAndShrinks) {
  ScratchDir dir;
  std::vector<float> smooth(256 * 256);
  for (size_t i = 0; i < smooth.size(); ++i)
    smooth[i] = static_cast<float>(i % 256);
  pf::h5::WriteOptions compressed;
  compressed.chunk = {64, 1000};  // wider than the data: clamped
  compressed.shuffle = true;
  compressed.deflate_level = 4;
  File::create(dir.file("plain.h5")).write("/v", smooth, {256, 256});
  File::create(dir.file("packed.h5")).write("/v", smooth, {256, 256}, compressed);

  EXPECT_EQ(File::open_read(dir.file("packed.h5")).read<float>("/v").values, smooth);
  EXPECT_LT(std::filesystem::file_size(dir.file("packed.h5")) * 4,
            std::filesystem::file_size(dir.file("plain.h5")));

  // Compression without a chunk uses one chunk; scalars and empty data stay contiguous.
  pf::h5::WriteOptions deflate_only;
  deflate_only.deflate_level = 1;
  File file = File::create(dir.file("auto.h5"));
  file.write("/v", smooth, {256, 256}, deflate_only);
  file.write<double>("/s", {2.5}, {}, deflate_only);
  file.write<double>("/e", {}, {0, 4}, deflate_only);
  EXPECT_EQ(file.read<float>("/v").values, smooth);
  EXPECT_EQ(file.read<double>("/s").values, std::vector<double>{2.5});
  EXPECT_EQ(file.read<double>("/e").shape, (Shape{0, 4}));
}

TEST(Hdf5, BadWriteOptionsAreNamed) {
  ScratchDir dir;
  File file = File::create(dir.file("w.h5"));
  pf::h5::WriteOptions wrong_rank;
  wrong_rank.chunk = {4};
  expect_input_error(
      [&] {
        file.write<float>("/m", std::vector<float>(6), {2, 3}, wrong_rank);
      },
      {"/m", "rank 2", "[4]"});
  expect_input_error(
      [&] {
        file.write<float>("/m", std::vector<float>(5), {2, 3});
      },
      {"/m", "expected 6 values", "found 5"});
}

TEST(Hdf5, ListsDatasetsRecursivelySorted) {
  ScratchDir dir;
  File file = File::create(dir.file("l.h5"));
  file.write<float>("/params/blocks.1.w", {1}, {1});
  file.write<float>("/params/blocks.0.w", {1}, {1});
  file.write<float>("/optimizer/exp_avg/blocks.0.w", {1}, {1});
  file.write<std::uint64_t>("/state/rng", {1}, {1});
  file.ensure_group("/empty/inside");

  EXPECT_EQ(file.list_datasets("/params"),
            (std::vector<std::string>{"/params/blocks.0.w", "/params/blocks.1.w"}));
  EXPECT_EQ(file.list_datasets(),
            (std::vector<std::string>{"/optimizer/exp_avg/blocks.0.w", "/params/blocks.0.w",
                                      "/params/blocks.1.w", "/state/rng"}));
  EXPECT_TRUE(file.list_datasets("/empty").empty());
  EXPECT_TRUE(file.exists("/params/blocks.0.w"));
  EXPECT_TRUE(file.exists("params"));
  EXPECT_TRUE(file.exists("/empty/inside"));
  EXPECT_FALSE(file.exists("/params/blocks.2.w"));
  EXPECT_FALSE(file.exists("/nowhere/deeper/still"));
  expect_input_error([&] { file.list_datasets("/params/blocks.0.w"); },
                     {"/params/blocks.0.w", "expected a group", "found a dataset"});
}

TEST(Hdf5, AttributesRoundTripOnRootGroupsAndDatasets) {
  ScratchDir dir;
  const std::string long_text(200000, 'x');  // beyond HDF5's 64 KiB object-header limit
  {
    File file = File::create(dir.file("a.h5"));
    file.write<float>("/data/v", {1, 2}, {2});
    file.set_string_attr("/", "config", "[model]\nname = \"factformer\" # ü\n");
    file.set_string_attr("/", "long", long_text);
    file.set_string_attr("/", "empty", "");
    file.set_int_attr("/data", "step", -42);
    file.set_double_attr("/data/v", "scale", 0.1);
    file.set_int_array_attr("/", "dims", {64, 64, 3});
    file.set_double_array_attr("/", "weights", {0.25, -1.5});
    file.set_int_attr("/data", "step", 43);  // replaces
  }
  File file = File::open_read(dir.file("a.h5"));
  EXPECT_EQ(file.string_attr("/", "config"), "[model]\nname = \"factformer\" # ü\n");
  EXPECT_EQ(file.string_attr("/", "long"), long_text);
  EXPECT_EQ(file.string_attr("/", "empty"), "");
  EXPECT_EQ(file.int_attr("/data", "step"), 43);
  EXPECT_EQ(file.double_attr("/data/v", "scale"), 0.1);
  EXPECT_EQ(file.double_attr("/data", "step"), 43.0);  // integers read as double
  EXPECT_EQ(file.int_array_attr("/", "dims"), (std::vector<std::int64_t>{64, 64, 3}));
  EXPECT_EQ(file.double_array_attr("/", "weights"), (std::vector<double>{0.25, -1.5}));
  EXPECT_TRUE(file.has_attr("/", "dims"));
  EXPECT_FALSE(file.has_attr("/", "nope"));
  EXPECT_FALSE(file.has_attr("/missing", "dims"));
  EXPECT_EQ(file.attr_names("/"),
            (std::vector<std::string>{"config", "dims", "empty", "long", "weights"}));
}

TEST(Hdf5, AttributeErrorsNameFileObjectAndTypes) {
  ScratchDir dir;
  const std::string path = dir.file("ae.h5");
  File file = File::create(path);
  file.set_int_attr("/", "step", 1);
  file.set_string_attr("/", "name", "x");
  file.set_double_attr("/", "loss", 0.5);
  file.set_double_array_attr("/", "pair", {1, 2});
  expect_input_error([&] { file.int_attr("/", "missing"); },
                     {path, "\"missing\"", "on /", "found none"});
  expect_input_error([&] { file.string_attr("/", "step"); }, {path, "\"step\"", "string", "int64"});
  expect_input_error([&] { file.int_attr("/", "name"); }, {path, "\"name\"", "string"});
  expect_input_error([&] { file.int_attr("/", "loss"); }, {path, "\"loss\"", "float64"});
  expect_input_error([&] { file.double_attr("/", "pair"); }, {path, "\"pair\"", "one value", "2"});
  expect_input_error([&] { file.int_attr("/ghost", "step"); }, {path, "/ghost", "found nothing"});
}

TEST(Hdf5, ReadsFixedLengthStrings) {
  // Other writers (h5py with numpy bytes, Fortran codes) store fixed-length padded strings.
  ScratchDir dir;
  const std::string path = dir.file("fixed.h5");
  {
    File file = File::create(path);
    file.ensure_group("/g");
  }
  hid_t fid = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(fid, 0);
  auto put = [&](const char* name, H5T_str_t pad, const char* bytes, size_t size) {
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, size);
    H5Tset_strpad(type, pad);
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t attr = H5Acreate2(fid, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(attr, type, bytes);
    H5Aclose(attr);
    H5Sclose(space);
    H5Tclose(type);
  };
  put("nullpad", H5T_STR_NULLPAD, "abc\0\0\0\0\0", 8);
  put("spacepad", H5T_STR_SPACEPAD, "abc     ", 8);
  put("full", H5T_STR_NULLPAD, "abcdefgh", 8);
  H5Fclose(fid);

  File file = File::open_read(path);
  EXPECT_EQ(file.string_attr("/", "nullpad"), "abc");
  EXPECT_EQ(file.string_attr("/", "spacepad"), "abc");
  EXPECT_EQ(file.string_attr("/", "full"), "abcdefgh");
}

TEST(Hdf5, MissingDatasetIsNamed) {
  ScratchDir dir;
  const std::string path = dir.file("m.h5");
  File file = File::create(path);
  file.write<float>("/params/a", {1}, {1});
  expect_input_error([&] { file.read<float>("/params/b"); }, {path, "/params/b", "dataset"});
  expect_input_error([&] { file.read<float>("/other/deep/b"); }, {path, "/other/deep/b"});
  expect_input_error([&] { file.dataset_shape("/nope"); }, {path, "/nope"});
  expect_input_error([&] { file.read<float>("/params"); }, {path, "/params", "found a group"});
}

TEST(Hdf5, OpeningWhatIsNotAnHdf5FileIsNamed) {
  ScratchDir dir;
  expect_input_error([&] { File::open_read(dir.file("absent.h5")); },
                     {dir.file("absent.h5"), "found no file"});
  expect_input_error([&] { File::open_read(dir.path()); }, {dir.path(), "directory"});

  const std::string text = dir.file("notes.h5");
  std::ofstream(text) << "this is not HDF5\n";
  expect_input_error([&] { File::open_read(text); }, {text, "HDF5 signature"});
  expect_input_error([&] { File::open_rw(text); }, {text, "HDF5 signature"});

  const std::string truncated = dir.file("truncated.h5");
  File::create(truncated).write("/v", std::vector<double>(10000, 1.0), {10000});
  std::filesystem::resize_file(truncated, std::filesystem::file_size(truncated) / 2);
  expect_input_error([&] { File::open_read(truncated).read<double>("/v"); },
                     {truncated, "truncated"});

  expect_input_error([&] { File::create(dir.file("no/such/dir/x.h5")); },
                     {dir.file("no/such/dir/x.h5"), "cannot create"});
}

TEST(Hdf5, FileIsMovable) {
  ScratchDir dir;
  File a = File::create(dir.file("mv.h5"));
  File b = std::move(a);
  EXPECT_FALSE(a.is_open());
  b.write<float>("/x", {3}, {});
  b.close();
  EXPECT_FALSE(b.is_open());
  EXPECT_EQ(File::open_read(dir.file("mv.h5")).read<float>("/x").values, std::vector<float>{3});
}

TEST(Hdf5, TensorRoundTripThroughHost) {
  ScratchDir dir;
  std::vector<float> values(24);
  std::iota(values.begin(), values.end(), -3.5f);
  auto tensor = pf::Tensor<float>::from_host({2, 3, 4}, values);
  {
    File file = File::create(dir.file("t.h5"));
    pf::h5::write_tensor(file, "/params/w", tensor);
    pf::h5::write_tensor(file, "/params/s", pf::Tensor<float>::scalar(1.5f));
    file.write<double>("/params/d", {0.25, 0.5}, {2});
  }
  File file = File::open_read(dir.file("t.h5"));
  auto back = pf::h5::read_tensor(file, "/params/w");
  EXPECT_EQ(back.shape(), (Shape{2, 3, 4}));
  EXPECT_EQ(back.to_host(), values);
  EXPECT_EQ(pf::h5::read_tensor(file, "/params/s").item(), 1.5f);
  EXPECT_EQ(pf::h5::read_tensor(file, "/params/d").to_host(), (std::vector<float>{0.25f, 0.5f}));
}

// ---- AtomicOutput ---------------------------------------------------------------------------

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(AtomicOutput, CommitReplacesTheFinalFile) {
  ScratchDir dir;
  const std::string final_path = dir.file("out.txt");
  std::ofstream(final_path) << "old";
  {
    pf::AtomicOutput out(final_path);
    EXPECT_EQ(out.temp_path(), final_path + ".tmp-" + std::to_string(::getpid()));
    std::ofstream(out.temp_path()) << "new";
    EXPECT_EQ(slurp(final_path), "old");  // nothing visible before commit
    out.commit();
    EXPECT_TRUE(out.committed());
  }
  EXPECT_EQ(slurp(final_path), "new");
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"out.txt"});
}

TEST(AtomicOutput, FailureBeforeCommitLeavesOldFileAndNoTemp) {
  ScratchDir dir;
  const std::string final_path = dir.file("out.h5");
  std::ofstream(final_path) << "previous checkpoint";
  try {
    pf::AtomicOutput out(final_path);
    File file = File::create(out.temp_path());
    file.write<float>("/half", {1, 2}, {2});
    throw std::runtime_error("killed mid-write");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(slurp(final_path), "previous checkpoint");
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"out.h5"});
}

TEST(AtomicOutput, CreatesParentDirectories) {
  ScratchDir dir;
  const std::string final_path = dir.file("runs/a/b/out.h5");
  pf::AtomicOutput out(final_path);
  File::create(out.temp_path()).write<float>("/x", {1}, {1});
  out.commit();
  EXPECT_EQ(File::open_read(final_path).read<float>("/x").values, std::vector<float>{1});
}

TEST(AtomicOutput, CommitWithoutTempFileThrowsNamingPaths) {
  ScratchDir dir;
  pf::AtomicOutput out(dir.file("never.h5"));
  try {
    out.commit();
    ADD_FAILURE() << "expected std::system_error";
  } catch (const std::system_error& e) {
    EXPECT_NE(std::string(e.what()).find(out.temp_path()), std::string::npos) << e.what();
  }
  EXPECT_FALSE(out.committed());
  EXPECT_FALSE(std::filesystem::exists(dir.file("never.h5")));
}

}  // namespace

TEST(Hdf5, SlabsWriteAndReadOneFrameAtATime) {
  ScratchDir dir;
  const std::string path = dir.path() + "/slab.h5";
  {
    auto file = pf::h5::File::create(path);
    pf::h5::WriteOptions options;
    options.chunk = {1, 1, 3, 4};
    options.shuffle = true;
    options.deflate_level = 4;
    file.create_dataset<float>("/t0_fields/u", {2, 3, 3, 4}, options);
    std::vector<float> frame(12);
    for (int i = 0; i < 12; ++i)
      frame[i] = static_cast<float>(100 + i);
    file.write_slab("/t0_fields/u", {1, 2, 0, 0}, {1, 1, 3, 4}, frame.data());
    EXPECT_THROW(file.write_slab("/t0_fields/u", {1, 3, 0, 0}, {1, 1, 3, 4}, frame.data()),
                 pf::InputError);
  }
  auto file = pf::h5::File::open_read(path);
  std::vector<double> back(12, -1.0);
  file.read_slab("/t0_fields/u", {1, 2, 0, 0}, {1, 1, 3, 4}, back.data());
  for (int i = 0; i < 12; ++i)
    EXPECT_EQ(back[i], 100 + i);
  file.read_slab("/t0_fields/u", {0, 0, 1, 1}, {1, 1, 2, 2}, back.data());
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(back[i], 0.0);  // never written: the fill value
  EXPECT_THROW(file.read_slab("/t0_fields/u", {0, 0}, {1, 1}, back.data()), pf::InputError);
}

TEST(Hdf5, StringArraysAndBooleansRoundTrip) {
  ScratchDir dir;
  const std::string path = dir.path() + "/attrs.h5";
  {
    auto file = pf::h5::File::create(path);
    file.set_string_array_attr("/", "field_names", {"vorticity", "velocity"});
    file.set_bool_attr("/", "sample_varying", true);
    file.set_bool_array_attr("/", "dim_varying", {true, false, true});
    file.set_string_attr("/", "single", "only");
  }
  auto file = pf::h5::File::open_read(path);
  EXPECT_EQ(file.string_array_attr("/", "field_names"),
            (std::vector<std::string>{"vorticity", "velocity"}));
  EXPECT_EQ(file.string_array_attr("/", "single"), (std::vector<std::string>{"only"}));
  EXPECT_TRUE(file.bool_attr("/", "sample_varying"));
  EXPECT_EQ(file.bool_array_attr("/", "dim_varying"), (std::vector<bool>{true, false, true}));
  EXPECT_THROW(file.bool_attr("/", "field_names"), pf::InputError);
}

TEST(Hdf5, EmptyArrayAttributesRoundTripAsEmptyLists) {
  ScratchDir dir;
  const std::string path = dir.file("empty.h5");
  {
    auto file = File::create(path);
    file.set_string_array_attr("/", "names", {});
    file.set_int_array_attr("/", "ints", {});
    file.set_double_array_attr("/", "doubles", {});
    file.set_bool_array_attr("/", "flags", {});
  }
  {  // As h5py writes an empty str list: a 1-D zero-length dataspace of vlen UTF-8 strings.
     // (Inspected with pf::h5 closed: HDF5 refuses a second open with another close degree.)
    const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const hid_t a = H5Aopen_by_name(f, "/", "names", H5P_DEFAULT, H5P_DEFAULT);
    const hid_t type = H5Aget_type(a), space = H5Aget_space(a);
    EXPECT_EQ(H5Tget_class(type), H5T_STRING);
    EXPECT_GT(H5Tis_variable_str(type), 0);
    EXPECT_EQ(H5Tget_cset(type), H5T_CSET_UTF8);
    EXPECT_EQ(H5Sget_simple_extent_type(space), H5S_SIMPLE);
    EXPECT_EQ(H5Sget_simple_extent_ndims(space), 1);
    EXPECT_EQ(H5Sget_simple_extent_npoints(space), 0);
    H5Sclose(space);
    H5Tclose(type);
    H5Aclose(a);
    H5Fclose(f);
  }
  auto file = File::open_read(path);
  EXPECT_TRUE(file.string_array_attr("/", "names").empty());
  EXPECT_TRUE(file.int_array_attr("/", "ints").empty());
  EXPECT_TRUE(file.double_array_attr("/", "doubles").empty());
  EXPECT_TRUE(file.bool_array_attr("/", "flags").empty());
  // h5py writes `attrs["names"] = []` as an empty float64 array: still an empty name list.
  EXPECT_TRUE(file.string_array_attr("/", "doubles").empty());
}

TEST(Hdf5, BoolDatasetsAreInt8EnumsAndRoundTrip) {
  ScratchDir dir;
  const std::string path = dir.file("bools.h5");
  const std::vector<bool> mask{true, false, false, true, true, false};
  {
    auto file = File::create(path);
    file.write_bool("/bc/mask", mask, {2, 3});
    file.write_bool("/bc/none", {}, {0});
    file.write<std::uint8_t>("/bytes", std::vector<std::uint8_t>{0, 7, 1}, {3});
    file.write<float>("/floats", std::vector<float>{1.f}, {1});
    EXPECT_THROW(file.write_bool("/bad", mask, {4}), InputError);
  }
  {  // h5py recognises a bool by exactly this type: an int8 enum {FALSE: 0, TRUE: 1}.
    const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const hid_t d = H5Dopen2(f, "/bc/mask", H5P_DEFAULT);
    const hid_t type = H5Dget_type(d);
    EXPECT_EQ(H5Tget_class(type), H5T_ENUM);
    EXPECT_EQ(H5Tget_size(type), 1u);
    EXPECT_EQ(H5Tget_nmembers(type), 2);
    char name[8] = {};
    const std::int8_t no = 0, yes = 1;
    EXPECT_GE(H5Tenum_nameof(type, &no, name, sizeof name), 0);
    EXPECT_STREQ(name, "FALSE");
    EXPECT_GE(H5Tenum_nameof(type, &yes, name, sizeof name), 0);
    EXPECT_STREQ(name, "TRUE");
    const hid_t base = H5Tget_super(type);
    EXPECT_GT(H5Tequal(base, H5T_NATIVE_INT8), 0);
    H5Tclose(base);
    H5Tclose(type);
    H5Dclose(d);
    H5Fclose(f);
  }
  auto file = File::open_read(path);
  const auto back = file.read_bool("/bc/mask");
  EXPECT_EQ(back.shape, (Shape{2, 3}));
  EXPECT_EQ(back.values, (std::vector<std::uint8_t>{1, 0, 0, 1, 1, 0}));
  EXPECT_TRUE(file.read_bool("/bc/none").values.empty());
  // Integers read as booleans too, any nonzero value as 1.
  EXPECT_EQ(file.read_bool("/bytes").values, (std::vector<std::uint8_t>{0, 1, 1}));
  EXPECT_THROW(file.read_bool("/floats"), InputError);
}

TEST(Hdf5, ElementClassReportsTheStoredType) {
  ScratchDir dir;
  const std::string path = dir.file("classes.h5");
  {
    auto file = File::create(path);
    file.write<float>("/f32", std::vector<float>{1.f}, {1});
    file.write<double>("/f64", std::vector<double>{1.0}, {1});
    file.write<std::int64_t>("/i64", std::vector<std::int64_t>{1}, {1});
    file.write<std::uint8_t>("/u8", std::vector<std::uint8_t>{1}, {1});
    file.write_bool("/flag", {true}, {1});
  }
  {  // Strings and compounds only come from other writers.
    const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t str = H5Tcopy(H5T_C_S1);
    H5Tset_size(str, 4);
    const hid_t s = H5Dcreate2(f, "/text", str, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const hid_t pair = H5Tcreate(H5T_COMPOUND, 2 * sizeof(double));
    H5Tinsert(pair, "re", 0, H5T_NATIVE_DOUBLE);
    H5Tinsert(pair, "im", sizeof(double), H5T_NATIVE_DOUBLE);
    const hid_t c = H5Dcreate2(f, "/complex", pair, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dclose(c);
    H5Tclose(pair);
    H5Dclose(s);
    H5Tclose(str);
    H5Sclose(space);
    H5Fclose(f);
  }
  using pf::h5::ElementClass;
  auto file = File::open_read(path);
  EXPECT_EQ(file.element_class("/f32"), ElementClass::Float);
  EXPECT_EQ(file.element_class("f64"), ElementClass::Float);
  EXPECT_EQ(file.element_class("/i64"), ElementClass::Integer);
  EXPECT_EQ(file.element_class("/u8"), ElementClass::Integer);
  EXPECT_EQ(file.element_class("/flag"), ElementClass::Enum);
  EXPECT_EQ(file.element_class("/text"), ElementClass::String);
  EXPECT_EQ(file.element_class("/complex"), ElementClass::Other);
  EXPECT_THROW(file.element_class("/missing"), InputError);
  EXPECT_THROW(file.element_class("/"), InputError);  // a group, not a dataset
}
