// Bad input to the field reader: each error names the file, the object, what was expected and
// what was found.
#include "core/error.hpp"
#include "data/field_reader.hpp"
#include "data/normalization.hpp"
#include "data/window_dataset.hpp"
#include "field_fixtures.hpp"
#include "scratch_dir.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <limits>

namespace {

using pf::Index;
using namespace pf::data;

void expect_input_error(const std::function<void()>& call, const std::vector<std::string>& parts) {
  try {
    call();
    ADD_FAILURE() << "expected pf::InputError";
  } catch (const pf::InputError& e) {
    const std::string message = e.what();
    for (const auto& part : parts) {
      EXPECT_NE(message.find(part), std::string::npos) << "\"" << part << "\" not in: " << message;
    }
  }
}

class FieldDatasetErrors : public ::testing::Test {
 protected:
  void SetUp() override { pf::testing::write_well_fixture(path, spec); }
  pf::testing::ScratchDir dir;
  pf::testing::WellSpec spec;
  std::string path = dir.file("flow.hdf5");
};

TEST_F(FieldDatasetErrors, UnknownFieldListsAvailable) {
  expect_input_error([&] { inspect_fields(path, {"vorticity"}); },
                     {path, "field_names", "[density, pressure, velocity]", "\"vorticity\""});
}

TEST_F(FieldDatasetErrors, MissingDataset) {
  pf::h5::File::open_rw(path).set_string_array_attr("/t0_fields", "field_names",
                                                    {"density", "pressure", "ghost"});
  expect_input_error([&] { inspect_fields(path, {"ghost"}); }, {path, "/t0_fields/ghost", "none"});
}

TEST_F(FieldDatasetErrors, WrongRank) {
  pf::h5::File::open_rw(path).write("/t0_fields/density", std::vector<float>(18, 1.f), {3, 6});
  expect_input_error([&] { inspect_fields(path, {}); },
                     {path, "/t0_fields/density", "rank 4", "[3, 6]"});
}

TEST_F(FieldDatasetErrors, FieldConstantAlongAnAxis) {
  pf::h5::File::open_rw(path).set_bool_array_attr("/t0_fields/pressure", "dim_varying",
                                                  {true, false});
  expect_input_error([&] { inspect_fields(path, {"pressure"}); },
                     {path, "/t0_fields/pressure@dim_varying", "every spatial axis"});
}

TEST_F(FieldDatasetErrors, MismatchedShapesBetweenFields) {
  pf::h5::File::open_rw(path).write("/t0_fields/pressure", std::vector<float>(3 * 6 * 4 * 4, 1.f),
                                    {3, 6, 4, 4});
  expect_input_error(
      [&] {
        inspect_fields(path, {"density", "pressure"});
      },
      {path, "/t0_fields/pressure", "/t0_fields/density", "[3, 6, 4, 4]"});
}

TEST_F(FieldDatasetErrors, NonFloatData) {
  pf::h5::File::open_rw(path).write("/t0_fields/density", std::vector<std::int64_t>(3 * 6 * 20, 1),
                                    {3, 6, 4, 5});
  expect_input_error([&] { inspect_fields(path, {"density"}); },
                     {path, "/t0_fields/density", "floating-point", "integer"});
}

TEST_F(FieldDatasetErrors, NanNamesFieldTrajectoryAndStep) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  pf::h5::File::open_rw(path).write_slab("/t1_fields/velocity", {1, 4, 2, 3, 1}, {1, 1, 1, 1, 1},
                                         &nan);
  FieldReader reader(path, {"density", "velocity"});
  std::vector<float> out(size_t(3 * reader.info().frame_values()));
  reader.read_frames(1, 1, 3, out.data());  // steps 1..3 are clean
  expect_input_error([&] { reader.read_frames(1, 3, 2, out.data()); },
                     {path, "/t1_fields/velocity", "field velocity", "trajectory 1", "step 4"});
}

TEST_F(FieldDatasetErrors, TooFewStepsForWindow) {
  auto reader = std::make_shared<const FieldReader>(path, std::vector<std::string>{"density"});
  Normalization norm{{"density"}, {0}, {1}};
  expect_input_error(
      [&] {
        WindowDataset(reader, {0}, {5, 2, 1}, norm);
      },
      {path, "/t0_fields/density", "in_steps + out_steps = 7", "found 6"});
  expect_input_error(
      [&] {
        WindowDataset(reader, {0}, {2, 1, 1}, {{"pressure"}, {0}, {1}});
      },
      {path, "[density]", "[pressure]"});
  expect_input_error([&] { WindowDataset(reader, {3}, {2, 1, 1}, norm); }, {path, "found 3"});
}

TEST_F(FieldDatasetErrors, FramesOutOfRange) {
  FieldReader reader(path, {"density"});
  std::vector<float> out(size_t(2 * reader.info().frame_values()));
  expect_input_error([&] { reader.read_frames(0, 5, 2, out.data()); }, {path, "steps [5, 7)"});
  expect_input_error([&] { reader.read_frames(3, 0, 1, out.data()); }, {path, "trajectory 3"});
}

TEST(FieldDatasetErrorsOther, UnrecognisedLayout) {
  pf::testing::ScratchDir dir;
  const auto path = dir.file("other.h5");
  pf::h5::File::create(path).write("/foo/bar", std::vector<float>{1.f}, {1});
  expect_input_error([&] { inspect_fields(path, {}); }, {path, "The Well", "/foo/bar"});
}

TEST(FieldDatasetErrorsOther, PdebenchMismatchedShapes) {
  pf::testing::ScratchDir dir;
  pf::testing::PdebenchSpec s;
  const auto flat = dir.file("2D_CFD_periodic.hdf5");
  pf::testing::write_pdebench_flat_fixture(flat, s);
  pf::h5::File::open_rw(flat).write("/Vy", std::vector<float>(3 * 5 * 4 * 4, 0.f), {3, 5, 4, 4});
  expect_input_error([&] { inspect_fields(flat, {}); },
                     {flat, "/Vy", "[3, 5, 4, 3]", "[3, 5, 4, 4]"});

  const auto groups = dir.file("groups.h5");
  pf::testing::write_pdebench_groups_fixture(groups, s, 1);
  pf::h5::File::open_rw(groups).write("/0002/data", std::vector<float>(4 * 4 * 3, 0.f),
                                      {4, 4, 3, 1});
  expect_input_error([&] { inspect_fields(groups, {}); }, {groups, "/0002/data", "/0000/data"});
  expect_input_error([&] { inspect_fields(groups, {"u"}); },
                     {groups, "/0000/data", "[data]", "\"u\""});

  const auto incomp = dir.file("ns_incom.h5");
  pf::testing::write_pdebench_incomp_fixture(incomp, s);
  pf::h5::File::open_rw(incomp).write("/velocity", std::vector<float>(3 * 5 * 12 * 3, 0.f),
                                      {3, 5, 4, 3, 3});
  expect_input_error([&] { inspect_fields(incomp, {"velocity"}); },
                     {incomp, "/velocity", "[B, T, X, Y, 2]", "[3, 5, 4, 3, 3]"});
}

TEST(FieldDatasetErrorsOther, NormalizationLoadChecksShapes) {
  pf::testing::ScratchDir dir;
  const auto path = dir.file("norm.h5");
  {
    auto file = pf::h5::File::create(path);
    Normalization{{"a", "b"}, {0, 1}, {1, 2}}.save(file, "/normalization");
    file.write("/normalization/std", std::vector<double>{1.0}, {1});
  }
  const auto file = pf::h5::File::open_read(path);
  expect_input_error([&] { Normalization::load(file, "/normalization"); },
                     {path, "/normalization", "length 2", "found 2 and 1"});
  expect_input_error([&] { Normalization::load(file, "/stats"); }, {path, "/stats"});
}

}  // namespace
