// The smoke reference's loss (per field, on denormalised values) and its wall values: the
// formula against a host evaluation, gradients against finite differences, and exactly which
// samples the walls zero.
#include "gradcheck.hpp"
#include "surrogate/field_loss.hpp"
#include "surrogate/wall_velocity.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace pf {
namespace {

// density + velocity on a 3 × 4 × 5 grid; walls on x and z, y periodic.
data::FieldFileInfo smoke_info() {
  data::FieldFileInfo info;
  info.channels = {"density", "velocity_x", "velocity_y", "velocity_z"};
  info.fields = {{"density", 0, 0, 1}, {"velocity", 1, 1, 3}};
  info.spatial_shape = {3, 4, 5};
  info.bc = {"wall", "periodic", "wall"};
  return info;
}

data::Normalization smoke_norm() {
  data::Normalization norm;
  norm.channels = smoke_info().channels;
  norm.mean = {0.8, 0.01, -0.02, 0.05};
  norm.std = {0.5, 0.1, 0.2, 0.3};
  return norm;
}

// The reference's formula on host values [B, T, P, C]: per field, the mean over samples and
// components of sqrt(Σ_{t,p} (ŷ − y)² / max(Σ_{t,p} y², 1e-5)), summed over fields.
double host_loss(const std::vector<double>& pred, const std::vector<double>& truth, Index b,
                 Index tp, Index c, const std::vector<data::FieldGroup>& fields) {
  double total = 0;
  for (const auto& field : fields) {
    double sum = 0;
    for (Index s = 0; s < b; ++s)
      for (Index k = field.first_channel; k < field.first_channel + field.components; ++k) {
        double err = 0, ref = 0;
        for (Index i = 0; i < tp; ++i) {
          const size_t at = size_t((s * tp + i) * c + k);
          err += (pred[at] - truth[at]) * (pred[at] - truth[at]);
          ref += truth[at] * truth[at];
        }
        sum += std::sqrt(err / std::max(ref, kRelL2Floor));
      }
    total += sum / double(b * field.components);
  }
  return total;
}

TEST(FieldLoss, PerFieldRelL2IsTheReferenceFormula) {
  const auto fields = smoke_info().fields;
  const Shape shape{2, 3, 3, 4, 5, 4};
  Tensord pred = test::random_tensor<double>(shape, 11);
  std::vector<double> truth = test::random_tensor<double>(shape, 12).to_host();
  // Sample 1's velocity_y is zero: its norm falls under the floor (the reference's eps).
  for (size_t i = 0; i < truth.size() / 2; ++i)
    if (i % 4 == 2) truth[truth.size() / 2 + i] = 0;
  const double got =
      per_field_rel_l2(pred, Tensord::from_host(shape, truth), fields).to_host().front();
  // Same sums in another order: fp64 round-off.
  EXPECT_NEAR(got, host_loss(pred.to_host(), truth, 2, 3 * 60, 4, fields), 1e-12);
}

TEST(FieldLoss, PerFieldRelL2GradientsMatchFiniteDifferences) {
  const auto fields = smoke_info().fields;
  const Shape shape{2, 2, 3, 2, 2, 4};
  std::vector<double> truth = test::random_tensor<double>(shape, 22).to_host();
  for (size_t i = 0; i < truth.size() / 2; ++i)  // a floored norm again (sample 0, velocity_z)
    if (i % 4 == 3) truth[i] = 1e-4;
  const Tensord target = Tensord::from_host(shape, truth);
  test::expect_gradients_match(
      [&](const std::vector<Tensord>& in) { return per_field_rel_l2(in[0], target, fields); },
      {test::param(shape, 21)});
}

TEST(WallVelocity, LowerFacesAreTheNormalComponentAtIndexZeroOfEachWallAxis) {
  const data::FieldFileInfo info = smoke_info();
  const WallVelocity walls(WallSamples::LowerFaces, info, smoke_norm());
  std::vector<Index> expected;
  for (Index i = 0; i < 3; ++i)
    for (Index j = 0; j < 4; ++j)
      for (Index k = 0; k < 5; ++k) {
        const Index point = (i * 4 + j) * 5 + k;
        if (i == 0) expected.push_back(point * 4 + 1);  // velocity_x on the wall x = 0
        if (k == 0) expected.push_back(point * 4 + 3);  // velocity_z on the wall z = 0
      }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(walls.offsets(), expected);  // nothing on y (periodic), nothing of density
  EXPECT_EQ(walls.count(), 4 * 5 + 3 * 4);

  const WallVelocity none(WallSamples::None, info, smoke_norm());
  EXPECT_FALSE(none.active());
}

TEST(WallVelocity, ImposedValuesAreZeroInPhysicalUnits) {
  const data::FieldFileInfo info = smoke_info();
  const data::Normalization norm = smoke_norm();
  const WallVelocity walls(WallSamples::LowerFaces, info, norm);
  const Shape shape{1, 2, 3, 4, 5, 4};
  const Tensor<float> frames = test::random_tensor<float>(shape, 31);
  const std::vector<float> before = frames.to_host();
  const std::vector<float> physical = walls.zero_physical(frames).to_host();
  std::vector<float> normalised = walls.impose_normalised(frames).to_host();
  norm.denormalize(normalised.data(), Index(normalised.size()));
  std::vector<bool> on_wall(size_t(info.frame_values()), false);
  for (Index o : walls.offsets())
    on_wall[size_t(o)] = true;
  for (size_t i = 0; i < before.size(); ++i) {
    if (on_wall[i % on_wall.size()]) {
      EXPECT_EQ(physical[i], 0.0f) << i;
      // (−mean/std)·std + mean in fp32: zero up to a few ulps of the mean.
      EXPECT_NEAR(normalised[i], 0.0f, 1e-7f) << i;
    } else {
      EXPECT_EQ(physical[i], before[i]) << i;
    }
  }
  std::vector<float> host = before;
  walls.zero_host(host.data(), 2);
  EXPECT_EQ(host, physical);
}

TEST(FieldLoss, WallsZeroThePredictionOnlyAndStopItsGradient) {
  const data::FieldFileInfo info = smoke_info();
  const data::Normalization norm = smoke_norm();
  auto walls = std::make_shared<const WallVelocity>(WallSamples::LowerFaces, info, norm);
  const FieldLoss loss(FieldLossKind::PerField, info, norm, walls);
  const Shape shape{2, 2, 3, 4, 5, 4};
  Tensor<float> pred = test::random_tensor<float>(shape, 41);
  pred.set_requires_grad(true);
  const Tensor<float> target = test::random_tensor<float>(shape, 42);
  const Tensor<float> value = loss(pred, target);
  value.backward();

  // Expected: denormalise both, zero the prediction's wall values (not the truth's).
  std::vector<float> p32 = pred.to_host(), t32 = target.to_host();
  norm.denormalize(p32.data(), Index(p32.size()));
  norm.denormalize(t32.data(), Index(t32.size()));
  walls->zero_host(p32.data(), 4);
  const std::vector<double> p(p32.begin(), p32.end()), t(t32.begin(), t32.end());
  // fp32 sums of 120 squares per (sample, channel): ~1e-6 relative.
  EXPECT_NEAR(value.to_host().front(), host_loss(p, t, 2, 2 * 60, 4, info.fields), 1e-5);

  const Vec<float> grad = pred.grad();
  auto g = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), grad);
  std::vector<bool> on_wall(size_t(info.frame_values()), false);
  for (Index o : walls->offsets())
    on_wall[size_t(o)] = true;
  for (size_t i = 0; i < size_t(pred.numel()); ++i) {
    if (on_wall[i % on_wall.size()])
      EXPECT_EQ(g(i), 0.0f) << i;
    else
      EXPECT_NE(g(i), 0.0f) << i;
  }
}

TEST(FieldLoss, WholeFramesIsTheTwoDimensionalReferenceLoss) {
  data::FieldFileInfo info;
  info.channels = {"vorticity"};
  info.fields = {{"vorticity", 0, 0, 1}};
  info.spatial_shape = {4, 4};
  info.bc = {"periodic", "periodic"};
  data::Normalization norm;
  norm.channels = info.channels;
  norm.mean = {0.3};
  norm.std = {2.0};
  const FieldLoss loss(FieldLossKind::WholeFrames, info, norm, nullptr);
  const Tensor<float> pred = test::random_tensor<float>({2, 3, 4, 4, 1}, 51);
  const Tensor<float> target = test::random_tensor<float>({2, 3, 4, 4, 1}, 52);
  // The same op on the same values: bit-identical.
  EXPECT_EQ(loss(pred, target).to_host(), rel_l2_loss(pred, target).to_host());
}

}  // namespace
}  // namespace pf
