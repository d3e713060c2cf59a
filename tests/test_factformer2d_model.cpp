// FactFormer-2D's configuration, parameter inventory, shapes and weight loading.
#include "factformer_golden.hpp"

#include "config/deck.hpp"
#include "core/error.hpp"
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

TEST(FactFormer2DModel, DefaultConfigHasTheReferenceParameterCount) {
  Rng rng(0);
  FactFormer2D model(FactFormer2DConfig{}, rng);
  // The reference prints 3,463,489 trainable parameters; _B (2 × 64 per layer) is frozen.
  EXPECT_EQ(model.parameter_count(), 3463489);
  Index frozen = 0, inv_freq = 0;
  for (const auto& [name, t] : model.named_buffers()) {
    if (name.size() >= 3 && name.compare(name.size() - 3, 3, "._B") == 0) frozen += t.numel();
    if (name.find("pos_emb.inv_freq") != std::string::npos) inv_freq += t.numel();
  }
  EXPECT_EQ(frozen, 512);
  EXPECT_EQ(inv_freq, 4 * 2 * 64);  // rotary buffers, in the reference's state_dict too
  // 132 state_dict entries, as torch lists them for the reference model
  EXPECT_EQ(model.state_dict().size(), 132u);
}

TEST(FactFormer2DModel, StateDictNamesMatchTheReference) {
  Rng rng(0);
  FactFormer2D model(FactFormer2DConfig{}, rng);
  std::set<std::string> names;
  for (const auto& [name, t] : model.state_dict())
    names.insert(name);
  for (const char* key :
       {"latent_time_emb", "to_in.weight", "encoder.layers.0.0.0._B", "encoder.layers.3.0.1.bias",
        "encoder.layers.2.1.to_y.1.out_ffn.fn.net.3.weight",
        "encoder.layers.1.1.low_rank_kernel_x.pos_emb.inv_freq",
        "encoder.layers.0.1.to_out.3.weight", "propagator.fn.net.3.bias", "simple_to_out.1.weight",
        "simple_to_out.2.weight", "simple_to_out.6.bias"})
    EXPECT_EQ(names.count(key), 1u) << key;
}

TEST(FactFormer2DModel, ForwardShapesAndStepLimits) {
  FactFormer2DConfig c;
  c.dim = 16, c.depth = 1, c.heads = 2, c.dim_head = 4, c.in_channels = 3, c.out_channels = 2;
  c.fourier_features = 8;
  Rng rng(1);
  FactFormer2D model(c, rng);
  NoGradGuard no_grad;
  const Tensor<float> u = Tensor<float>::full({2, 5, 3, 3}, 0.5f);
  EXPECT_EQ(model.forward(u, 4).shape(), (Shape{2, 4, 5, 3, 2}));
  EXPECT_EQ(model.forward(u, 1).shape(), (Shape{2, 1, 5, 3, 2}));
  EXPECT_THROW(model.forward(u, 0), ShapeError);
  EXPECT_THROW(model.forward(u, 5), ShapeError);
  EXPECT_THROW(model.forward(Tensor<float>::zeros({2, 5, 3, 4}), 1), ShapeError);
}

TEST(FactFormer2DModel, DeckOptionsAreValidated) {
  DeckSchema schema("t", "test");
  add_factformer2d_options(schema);
  const FactFormer2DConfig d = factformer2d_config(Deck::resolve(schema, "", {}));
  EXPECT_EQ(d.dim, 128);
  EXPECT_EQ(d.latent_dim(), 256);
  EXPECT_EQ(d.kernel_dim(), 128);
  EXPECT_DOUBLE_EQ(d.kernel_scale(), 1.0);
  const auto bad = [&](const std::string& set) {
    return error_of([&] { factformer2d_config(Deck::resolve(schema, "", {set})); });
  };
  EXPECT_NE(bad("model.dim=12").find("model.dim"), std::string::npos);
  EXPECT_NE(bad("model.heads=0").find("model.heads: expected at least 1, found 0"),
            std::string::npos);
  EXPECT_NE(bad("model.latent_multiplier=1.3").find("model.latent_multiplier"), std::string::npos);
  // rotary embedding needs an even Dk = dim_head × kernel_multiplier
  const std::string odd = error_of([&] {
    factformer2d_config(
        Deck::resolve(schema, "", {"model.dim_head=3", "model.kernel_multiplier=1"}));
  });
  EXPECT_NE(odd.find("model.kernel_multiplier"), std::string::npos) << odd;
}

TEST(FactFormer2DModel, WeightFileMismatchesAreListedTogether) {
  testing::ScratchDir dir;
  const std::string path = dir.file("weights.h5");
  const std::string golden = test::golden_path("scaled");
  {
    // Copy the golden weights, then drop one, add one and mis-shape one.
    const h5::File in = h5::File::open_read(golden);
    h5::File out = h5::File::create(path);
    for (const std::string& name : in.list_datasets("/params")) {
      if (name == "/params/to_in.bias") continue;
      auto a = in.read<float>(name);
      if (name == "/params/expand_latent.weight") a.shape = {a.shape[1], a.shape[0]};
      out.write(name, a.values, a.shape);
    }
    out.write<float>("/params/encoder.layers.9.0.1.weight", {1.0f}, {1});
  }
  const h5::File f = h5::File::open_read(golden);
  Rng rng(2);
  FactFormer2D model(test::golden_config(f), rng);
  const std::string message =
      error_of([&] { load_params(path, as_named(model.state_dict()), false); });
  for (const char* part : {"to_in.bias", "missing", "encoder.layers.9.0.1.weight", "unexpected",
                           "expand_latent.weight", "[24, 16]", "[16, 24]"})
    EXPECT_NE(message.find(part), std::string::npos) << part << " not in: " << message;
}

}  // namespace
}  // namespace pf
