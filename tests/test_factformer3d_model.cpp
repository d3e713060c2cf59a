// FactFormer-3D's configuration, parameter inventory, shapes and weight loading.
#include "factformer_golden.hpp"

#include "config/deck.hpp"
#include "core/error.hpp"
#include "models/factformer/features.hpp"
#include "scratch_dir.hpp"
#include "tensor/ops.hpp"

#include <gtest/gtest.h>

#include <set>

namespace pf {
namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(FactFormer3DModel, DefaultConfigHasTheReferenceParameterCount) {
  Rng rng(1);
  FactFormer3D model(FactFormer3DConfig{}, rng);
  // the reference's smoke model: sum(p.numel() for p in parameters() if p.requires_grad)
  EXPECT_EQ(model.parameter_count(), 4501764);
  Index frozen = 0, inv_freq = 0;
  for (const auto& [name, t] : model.state_dict()) {
    if (name.find("._B") != std::string::npos) frozen += t.numel();
    if (name.find("inv_freq") != std::string::npos) inv_freq += t.numel();
  }
  EXPECT_EQ(frozen, 576);                // 3 layers × _B [3, 64]
  EXPECT_EQ(inv_freq, 3 * 3 * 192 / 2);  // rotary buffers, in the reference's state_dict too
}

TEST(FactFormer3DModel, StateDictNamesMatchTheReference) {
  // every key of the golden file (written from the PyTorch model, whose keys equal the
  // reference's) and nothing else
  const std::string path = test::golden3d_path("small");
  const h5::File f = h5::File::open_read(path);
  Rng rng(2);
  FactFormer3D model(test::golden3d_config(f), rng);
  std::set<std::string> ours, theirs;
  for (const auto& [name, t] : model.state_dict())
    ours.insert(name);
  for (const std::string& name : f.list_datasets("/params"))
    theirs.insert(name.substr(std::string("/params/").size()));
  EXPECT_EQ(ours, theirs);
}

TEST(FactFormer3DModel, ForwardShapesAndStepLimits) {
  FactFormer3DConfig c;
  c.dim = 16, c.depth = 1, c.heads = 2, c.dim_head = 4, c.in_fields = 2, c.in_steps = 3;
  c.out_fields = 3, c.fourier_features = 4, c.max_latent_steps = 2, c.padding = 1;
  Rng rng(3);
  FactFormer3D model(c, rng);
  NoGradGuard no_grad;
  const Tensor<float> u = Tensor<float>::full({2, 3, 4, 2, 6, 2}, 0.5f);
  EXPECT_EQ(model.forward(u, 2).shape(), (Shape{2, 2, 4, 2, 6, 3}));
  EXPECT_EQ(model.forward(u, 1).shape(), (Shape{2, 1, 4, 2, 6, 3}));
  EXPECT_THROW(model.forward(u, 0), ShapeError);
  EXPECT_THROW(model.forward(u, 3), ShapeError);
  // odd sizes do not survive the stride-2 convolution and the ×2 upsampling
  EXPECT_THROW(model.forward(Tensor<float>::zeros({1, 3, 4, 3, 6, 2}), 1), ShapeError);
  EXPECT_THROW(model.forward(Tensor<float>::zeros({1, 2, 4, 2, 6, 2}), 1), ShapeError);
}

TEST(FactFormer3DModel, PaddedCoordinatesFollowTheReference) {
  // linspace(0, 8, 64) then linspace(8 + 1/8, 8 + 2/8, 2): the spec's 8.125 and 8.25
  const std::vector<float> p = factformer::padded_grid_coordinates(64, 8.0, 2);
  ASSERT_EQ(p.size(), 66u);
  EXPECT_EQ(p[0], 0.0f);
  EXPECT_EQ(p[63], 8.0f);
  EXPECT_EQ(p[64], 8.125f);
  EXPECT_EQ(p[65], 8.25f);
  EXPECT_EQ(factformer::padded_grid_coordinates(4, 3.0, 1).back(), 3.75f);
}

TEST(FactFormer3DModel, DeckOptionsAreValidated) {
  DeckSchema schema("t", "test");
  add_factformer3d_options(schema);
  const FactFormer3DConfig d = factformer3d_config(Deck::resolve(schema, "", {}));
  EXPECT_EQ(d.dim, 128);
  EXPECT_EQ(d.depth, 3);
  EXPECT_EQ(d.heads, 6);
  EXPECT_EQ(d.latent_dim(), 192);
  EXPECT_EQ(d.kernel_dim(), 192);
  EXPECT_EQ(d.decoder_groups(), 12);
  EXPECT_EQ(d.padding, 2);
  EXPECT_DOUBLE_EQ(d.domain_length, 8.0);
  EXPECT_DOUBLE_EQ(d.kernel_scale(), 1.0);
  const auto bad = [&](const std::string& set) {
    return error_of([&] { factformer3d_config(Deck::resolve(schema, "", {set})); });
  };
  EXPECT_NE(bad("model.dim=12").find("model.dim"), std::string::npos);
  EXPECT_NE(bad("model.in_fields=3").find("model.in_fields: expected a divisor of dim / 2"),
            std::string::npos);
  EXPECT_NE(bad("model.padding=-1").find("model.padding: expected at least 0, found -1"),
            std::string::npos);
  EXPECT_NE(bad("model.latent_multiplier=1.3").find("model.latent_multiplier"), std::string::npos);
}

TEST(FactFormer3DModel, WeightFileMismatchesAreListedTogether) {
  testing::ScratchDir dir;
  const std::string path = dir.file("weights.h5");
  const std::string golden = test::golden3d_path("scaled");
  {
    // Copy the golden weights, then drop one, add one and mis-shape one.
    const h5::File in = h5::File::open_read(golden);
    h5::File out = h5::File::create(path);
    for (const std::string& name : in.list_datasets("/params")) {
      if (name == "/params/down_block.1.bias") continue;
      auto a = in.read<float>(name);
      if (name == "/params/to_in.2.weight") a.shape = {a.shape[0], a.shape[1], 1, a.shape[2]};
      out.write(name, a.values, a.shape);
    }
    out.write<float>("/params/up_block.5.weight", {1.0f}, {1});
  }
  const h5::File f = h5::File::open_read(golden);
  Rng rng(4);
  FactFormer3D model(test::golden3d_config(f), rng);
  const std::string message =
      error_of([&] { load_params(path, as_named(model.state_dict()), false); });
  for (const char* part : {"down_block.1.bias", "missing", "up_block.5.weight", "unexpected",
                           "to_in.2.weight", "[16, 8, 3, 1]", "[16, 8, 1, 3]"})
    EXPECT_NE(message.find(part), std::string::npos) << part << " not in: " << message;
}

}  // namespace
}  // namespace pf
