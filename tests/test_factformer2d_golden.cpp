// FactFormer-2D against PyTorch (postprocess/factformer_torch.py, run in fp64 from the same fp32
// weights): forward output, loss and the gradient of every parameter and of the input.
#include "factformer_golden.hpp"

#include <gtest/gtest.h>

namespace pf {
namespace {

class FactFormer2DGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(FactFormer2DGolden, ForwardAndGradientsMatchPyTorch) {
  const std::string path = test::golden_path(GetParam());
  auto model = test::golden_model(path);
  // fp32 forward against an fp64 reference: sums of O(C) terms rounding at ~6e-8 relative,
  // through ~10 layers, measured at 3e-7..6e-7 of the output's RMS; 1e-5 leaves a 15x margin and
  // still fails on any real defect (a wrong constant or index moves the output by > 1e-2).
  // Gradients pass through the model twice (forward and backward) and the axis kernels multiply
  // errors of q and k; measured worst 2e-5 of a gradient's RMS (axis-kernel weights), so 2e-4.
  test::expect_factformer_matches_golden(*model, path, GetParam(), /*output_tol=*/1e-5,
                                         /*grad_tol=*/2e-4);
}

INSTANTIATE_TEST_SUITE_P(Cases, FactFormer2DGolden, ::testing::Values("small", "scaled"));

}  // namespace
}  // namespace pf
