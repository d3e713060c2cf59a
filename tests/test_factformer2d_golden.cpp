// FactFormer-2D against PyTorch (postprocess/factformer_torch.py, run in fp64 from the same fp32
// weights): forward output, loss and the gradient of every parameter and of the input.
#include "factformer_golden.hpp"

#include "tensor/ops.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace pf {
namespace {

double rms(const std::vector<double>& v) {
  double s = 0;
  for (double x : v)
    s += x * x;
  return std::sqrt(s / double(v.size()));
}

// Largest |got − want| relative to the reference's RMS: a scale-aware error that does not blow
// up on entries that happen to be near zero.
template <class A>
double max_error_over_rms(const std::vector<A>& got, const std::vector<double>& want) {
  EXPECT_EQ(got.size(), want.size());
  double worst = 0;
  for (size_t i = 0; i < got.size() && i < want.size(); ++i)
    worst = std::max(worst, std::abs(double(got[i]) - want[i]));
  return worst / rms(want);
}

class FactFormer2DGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(FactFormer2DGolden, ForwardAndGradientsMatchPyTorch) {
  const std::string path = test::golden_path(GetParam());
  const h5::File f = h5::File::open_read(path);
  auto model = test::golden_model(path);
  const Index steps = f.int_attr("/", "latent_steps");

  Tensor<float> input = h5::read_tensor(f, "/input");
  input.set_requires_grad(true);
  const Tensor<float> target = h5::read_tensor(f, "/target");
  const auto want = f.read<double>("/output");

  const Tensor<float> out = model->forward(input, steps);
  ASSERT_EQ(out.shape(), want.shape);
  // fp32 forward against an fp64 reference: sums of O(C) terms rounding at ~6e-8 relative,
  // through ~10 layers, measured at 3e-7..6e-7 of the output's RMS; 1e-5 leaves a 15x margin and
  // still fails on any real defect (a wrong constant or index moves the output by > 1e-2).
  const double out_err = max_error_over_rms(out.to_host(), want.values);
  EXPECT_LT(out_err, 1e-5) << "forward";

  const Tensor<float> loss = rel_l2_loss(out, target);
  const double want_loss = f.read<double>("/loss").values.at(0);
  EXPECT_NEAR(loss.item(), want_loss, 1e-5 * want_loss);
  loss.backward();

  // Gradients pass through the model twice (forward and backward) and the axis kernels multiply
  // errors of q and k; measured worst 2e-5 of a gradient's RMS (axis-kernel weights), so 2e-4.
  double worst = 0;
  std::string worst_name;
  Index checked = 0;
  for (const auto& [name, p] : model->named_parameters()) {
    const std::string key = "/grad/" + name;
    ASSERT_TRUE(f.exists(key)) << key;
    const auto g = f.read<double>(key);
    Kokkos::View<float*, Kokkos::HostSpace> host("grad", p.numel());
    ASSERT_EQ(Index(p.grad().extent(0)), p.numel()) << name << " has no gradient";
    Kokkos::deep_copy(host, p.grad());
    const double err =
        max_error_over_rms(std::vector<float>(host.data(), host.data() + host.extent(0)), g.values);
    EXPECT_LT(err, 2e-4) << name;
    if (err > worst) worst = err, worst_name = name;
    ++checked;
  }
  EXPECT_EQ(checked, Index(f.list_datasets("/grad").size()));
  const auto gin = f.read<double>("/grad_input");
  Kokkos::View<float*, Kokkos::HostSpace> host("grad", input.numel());
  Kokkos::deep_copy(host, input.grad());
  const double in_err =
      max_error_over_rms(std::vector<float>(host.data(), host.data() + host.extent(0)), gin.values);
  EXPECT_LT(in_err, 2e-4) << "input gradient";
  std::printf(
      "[ %s ] output error %.2e of RMS; worst parameter gradient %.2e (%s); input "
      "gradient %.2e\n",
      GetParam().c_str(), out_err, worst, worst_name.c_str(), in_err);
}

INSTANTIATE_TEST_SUITE_P(Cases, FactFormer2DGolden, ::testing::Values("small", "scaled"));

}  // namespace
}  // namespace pf
