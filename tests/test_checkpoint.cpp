// Checkpoints: bitwise round trips, all-at-once mismatch reports, format checks, resume lookup.
#include "core/error.hpp"
#include "io/hdf5.hpp"
#include "scratch_dir.hpp"
#include "train/checkpoint.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>

namespace {

using pf::Checkpoint;
using pf::InputError;
using pf::NamedTensor;
using pf::Shape;
using pf::Tensor;
using pf::testing::ScratchDir;

Tensor<float> filled(const Shape& shape, float seed) {
  std::vector<float> v(static_cast<size_t>(pf::numel(shape)));
  for (size_t i = 0; i < v.size(); ++i)
    v[i] = std::sin(seed + 0.7f * i) / 3.0f;
  return Tensor<float>::from_host(shape, v);
}

bool bitwise_equal(const Tensor<float>& a, const Tensor<float>& b) {
  if (a.shape() != b.shape()) return false;
  auto x = a.to_host(), y = b.to_host();
  return std::memcmp(x.data(), y.data(), x.size() * sizeof(float)) == 0;
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected pf::InputError";
  return "";
}

void expect_contains(const std::string& message, const std::vector<std::string>& parts) {
  for (const std::string& part : parts) {
    EXPECT_NE(message.find(part), std::string::npos) << "lacks \"" << part << "\": " << message;
  }
}

Checkpoint sample_checkpoint() {
  Checkpoint c;
  c.params = {{"blocks.0.attn.to_q.weight", filled({8, 4}, 0.1f)},
              {"blocks.0.norm.bias", filled({4}, 0.2f)},
              {"pos.scale", filled({}, 0.3f)},
              {"blocks.1.conv.weight", filled({2, 3, 2, 2}, 0.4f)}};
  c.params[1].tensor =
      Tensor<float>::from_host({4}, {-0.0f, std::numeric_limits<float>::denorm_min(), std::nanf(""),
                                     std::numeric_limits<float>::infinity()});
  c.optimizer_state = {{"exp_avg/blocks.0.attn.to_q.weight", filled({8, 4}, 1.1f)},
                       {"exp_avg_sq/blocks.0.attn.to_q.weight", filled({8, 4}, 1.2f)}};
  c.step = 1234;
  c.epoch = 7;
  c.rng_state = {0x0123456789abcdefull, std::numeric_limits<std::uint64_t>::max(), 0};
  c.config_toml = "[model]\nkind = \"factformer\"\ndim = 64\n";
  c.scalars = {{"optimizer_step", 1234.0}, {"best_loss", 0.0123456789}};
  return c;
}

const NamedTensor& by_name(const std::vector<NamedTensor>& list, const std::string& name) {
  for (const NamedTensor& t : list) {
    if (t.name == name) return t;
  }
  throw std::runtime_error("no tensor named " + name);
}

TEST(Checkpoint, RoundTripIsBitwise) {
  ScratchDir dir;
  const std::string path = dir.file("run/checkpoint_1234.h5");
  const Checkpoint saved = sample_checkpoint();
  pf::save_checkpoint(path, saved);
  const Checkpoint read = pf::read_checkpoint(path);

  ASSERT_EQ(read.params.size(), saved.params.size());
  for (const NamedTensor& t : saved.params) {
    EXPECT_TRUE(bitwise_equal(by_name(read.params, t.name).tensor, t.tensor)) << t.name;
  }
  ASSERT_EQ(read.optimizer_state.size(), saved.optimizer_state.size());
  for (const NamedTensor& t : saved.optimizer_state) {
    EXPECT_TRUE(bitwise_equal(by_name(read.optimizer_state, t.name).tensor, t.tensor)) << t.name;
  }
  EXPECT_EQ(read.params.front().name, "blocks.0.attn.to_q.weight");  // sorted by name
  EXPECT_EQ(read.step, saved.step);
  EXPECT_EQ(read.epoch, saved.epoch);
  EXPECT_EQ(read.rng_state, saved.rng_state);
  EXPECT_EQ(read.config_toml, saved.config_toml);
  EXPECT_EQ(read.scalars, saved.scalars);
  EXPECT_EQ(std::filesystem::directory_iterator(dir.file("run"))->path().filename(),
            "checkpoint_1234.h5");  // and no temp file beside it
}

TEST(Checkpoint, FileLayoutMatchesTheDocumentedFormat) {
  ScratchDir dir;
  const std::string path = dir.file("c.h5");
  pf::save_checkpoint(path, sample_checkpoint());
  auto file = pf::h5::File::open_read(path);
  EXPECT_EQ(file.string_attr("/", "format"), "portaformer-checkpoint");
  EXPECT_EQ(file.int_attr("/", "format_version"), pf::kCheckpointFormatVersion);
  EXPECT_EQ(file.int_attr("/", "step"), 1234);
  EXPECT_EQ(file.dataset_shape("/params/blocks.1.conv.weight"), (Shape{2, 3, 2, 2}));
  EXPECT_EQ(file.dataset_shape("/params/pos.scale"), Shape{});
  EXPECT_TRUE(file.exists("/optimizer/exp_avg_sq/blocks.0.attn.to_q.weight"));
  EXPECT_EQ(file.read<std::uint64_t>("/state/rng").shape, Shape{3});
  EXPECT_DOUBLE_EQ(file.double_attr("/state", "best_loss"), 0.0123456789);
}

TEST(Checkpoint, EmptyCheckpointRoundTrips) {
  ScratchDir dir;
  pf::save_checkpoint(dir.file("e.h5"), Checkpoint{});
  const Checkpoint read = pf::read_checkpoint(dir.file("e.h5"));
  EXPECT_TRUE(read.params.empty());
  EXPECT_TRUE(read.optimizer_state.empty());
  EXPECT_TRUE(read.rng_state.empty());
  EXPECT_TRUE(read.scalars.empty());
  EXPECT_EQ(read.config_toml, "");
}

TEST(Checkpoint, FailedSaveKeepsThePreviousCheckpoint) {
  ScratchDir dir;
  const std::string path = dir.file("checkpoint_1.h5");
  pf::save_checkpoint(path, sample_checkpoint());
  Checkpoint broken = sample_checkpoint();
  broken.step = 99;
  broken.params.push_back({"undefined", Tensor<float>()});
  EXPECT_THROW(pf::save_checkpoint(path, broken), std::invalid_argument);
  broken.params.back() = {"blocks.0.norm.bias", filled({4}, 0.f)};  // duplicate name
  EXPECT_THROW(pf::save_checkpoint(path, broken), std::invalid_argument);
  EXPECT_EQ(pf::read_checkpoint(path).step, 1234);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

TEST(Checkpoint, LoadParamsWritesIntoLiveStorage) {
  ScratchDir dir;
  const std::string path = dir.file("c.h5");
  const Checkpoint saved = sample_checkpoint();
  pf::save_checkpoint(path, saved);

  std::vector<NamedTensor> model;
  for (const NamedTensor& t : saved.params) {
    model.push_back({t.name, Tensor<float>::zeros(t.tensor.shape())});
  }
  const auto storage_before = model[0].tensor.data().data();
  pf::load_params(path, model);
  EXPECT_EQ(model[0].tensor.data().data(), storage_before);  // same View, now filled
  for (size_t i = 0; i < model.size(); ++i) {
    EXPECT_TRUE(bitwise_equal(model[i].tensor, saved.params[i].tensor)) << model[i].name;
  }
}

TEST(Checkpoint, LoadParamsReportsEveryMismatchAtOnce) {
  ScratchDir dir;
  const std::string path = dir.file("mismatch.h5");
  pf::save_checkpoint(path, sample_checkpoint());

  std::vector<NamedTensor> model = {
      {"blocks.0.attn.to_q.weight", Tensor<float>::zeros({4, 8})},  // transposed
      {"blocks.0.norm.bias", Tensor<float>::zeros({5})},            // resized
      {"blocks.0.norm.weight", Tensor<float>::zeros({4})},          // missing in file
      {"pos.scale", Tensor<float>::full({}, 9.0f)},                 // fine
  };
  const std::string message = error_of([&] { pf::load_params(path, model); });
  expect_contains(message, {path, "blocks.0.attn.to_q.weight", "[4, 8]", "[8, 4]",
                            "blocks.0.norm.bias", "[5]", "[4]", "missing", "blocks.0.norm.weight",
                            "unexpected", "blocks.1.conv.weight", "[2, 3, 2, 2]", "4 problems"});
  EXPECT_EQ(message.find("pos.scale"), std::string::npos) << message;
  EXPECT_EQ(model[3].tensor.item(), 9.0f);  // nothing copied when anything is wrong
}

TEST(Checkpoint, UnexpectedNamesAllowedOnRequest) {
  ScratchDir dir;
  const std::string path = dir.file("extra.h5");
  const Checkpoint saved = sample_checkpoint();
  pf::save_checkpoint(path, saved);
  std::vector<NamedTensor> subset = {{"pos.scale", Tensor<float>::zeros({})}};

  const std::string message = error_of([&] { pf::load_params(path, subset); });
  expect_contains(message, {"unexpected", "blocks.0.attn.to_q.weight", "blocks.1.conv.weight"});

  pf::load_params(path, subset, /*allow_unexpected=*/true);
  EXPECT_TRUE(bitwise_equal(subset[0].tensor, by_name(saved.params, "pos.scale").tensor));
}

TEST(Checkpoint, LoadParamsAcceptsConvertedFilesWithoutFormatAttributes) {
  // What a PyTorch state_dict converter writes: only /params, possibly float64.
  ScratchDir dir;
  const std::string path = dir.file("from_torch.h5");
  pf::h5::File::create(path).write<double>("/params/head.bias", {0.5, -0.25}, {2});
  std::vector<NamedTensor> model = {{"head.bias", Tensor<float>::zeros({2})}};
  pf::load_params(path, model);
  EXPECT_EQ(model[0].tensor.to_host(), (std::vector<float>{0.5f, -0.25f}));
  expect_contains(error_of([&] { pf::read_checkpoint(path); }),
                  {path, "\"format\"", "not a PortaFormer checkpoint"});
}

TEST(Checkpoint, FormatAndVersionAreChecked) {
  ScratchDir dir;
  const std::string path = dir.file("c.h5");
  pf::save_checkpoint(path, sample_checkpoint());
  pf::h5::File::open_rw(path).set_int_attr("/", "format_version", 2);
  std::vector<NamedTensor> model = {{"pos.scale", Tensor<float>::zeros({})}};
  expect_contains(error_of([&] { pf::read_checkpoint(path); }),
                  {path, "format_version", "expected 1", "found 2", "newer"});
  expect_contains(error_of([&] { pf::load_params(path, model, true); }),
                  {path, "format_version", "found 2"});

  pf::h5::File::open_rw(path).set_string_attr("/", "format", "something-else");
  expect_contains(error_of([&] { pf::read_checkpoint(path); }),
                  {path, "portaformer-checkpoint", "something-else"});
}

TEST(Checkpoint, UnreadableFilesAreNamed) {
  ScratchDir dir;
  const std::string text = dir.file("checkpoint_5.h5");
  std::ofstream(text) << "garbage";
  expect_contains(error_of([&] { pf::read_checkpoint(text); }), {text, "HDF5"});
  expect_contains(error_of([&] { pf::read_checkpoint(dir.file("none.h5")); }),
                  {dir.file("none.h5"), "no file"});
  std::vector<NamedTensor> model = {{"w", Tensor<float>::zeros({1})}};
  expect_contains(error_of([&] { pf::load_params(text, model); }), {text});
}

TEST(Checkpoint, CopyNamedTensorsMatchesLikeLoadParams) {
  std::vector<NamedTensor> from = {{"exp_avg/w", filled({3}, 2.f)}};
  std::vector<NamedTensor> to = {{"exp_avg/w", Tensor<float>::zeros({3})}};
  pf::copy_named_tensors("checkpoint /optimizer", from, to);
  EXPECT_TRUE(bitwise_equal(to[0].tensor, from[0].tensor));
  to.push_back({"exp_avg/v", Tensor<float>::zeros({2})});
  expect_contains(error_of([&] { pf::copy_named_tensors("checkpoint /optimizer", from, to); }),
                  {"checkpoint /optimizer", "missing", "exp_avg/v", "[2]"});
}

TEST(Checkpoint, LatestCheckpointPicksHighestStep) {
  ScratchDir dir;
  EXPECT_EQ(pf::latest_checkpoint(dir.path()), "");
  EXPECT_EQ(pf::latest_checkpoint(dir.file("missing")), "");
  for (const char* name : {"checkpoint_9.h5", "checkpoint_100.h5", "checkpoint_20.h5",
                           "checkpoint_500.h5.tmp-77", "checkpoint_x.h5", "notes.txt"}) {
    std::ofstream(dir.file(name)) << "x";
  }
  EXPECT_EQ(pf::latest_checkpoint(dir.path()), dir.file("checkpoint_100.h5"));
  EXPECT_EQ(pf::checkpoint_path(dir.path(), 100), dir.file("checkpoint_100.h5"));
}

}  // namespace
