// The fully connected tensor product: finite-difference gradients (fp64), and equivariance
// under rotations and inversion with the Wigner matrices of the harmonics' own basis.
#include "crystal_cells.hpp"
#include "gradcheck.hpp"
#include "models/comformer/so3.hpp"
#include "models/comformer/tensor_product.hpp"

#include <gtest/gtest.h>
#include <Eigen/Dense>

namespace pf::test {
namespace {

using comformer::FullyConnectedTensorProduct;
using comformer::Irreps;

const Irreps kIn1 = {{2, 0}, {1, 1}, {2, 2}};
const Irreps kSh = {{1, 0}, {1, 1}, {1, 2}};
const Irreps kOut = {{2, 0}, {2, 1}, {1, 2}};

TEST(ComformerTensorProduct, WeightCountAndShapes) {
  // Paths 0⊗0→0, 0⊗1→1, 0⊗2→2, 1⊗0→1, 1⊗1→0, 1⊗1→2, 1⊗2→1, 2⊗0→2, 2⊗1→1, 2⊗2→0, 2⊗2→2
  // (1⊗1→1 and 2⊗1→2 break parity): Σ mul1 · mul_out.
  const FullyConnectedTensorProduct<double> tp(kIn1, kSh, kOut);
  EXPECT_EQ(tp.weight_numel(),
            2 * 2 + 2 * 2 + 2 * 1 + 1 * 2 + 1 * 2 + 1 * 1 + 1 * 2 + 2 * 1 + 2 * 2 + 2 * 2 + 2 * 1);
  // eComFormer's two layers: 5120 weights each, as the reference's fc layers produce.
  EXPECT_EQ(
      FullyConnectedTensorProduct<float>({{64, 0}}, kSh, {{64, 0}, {8, 1}, {8, 2}}).weight_numel(),
      5120);
  EXPECT_EQ(
      FullyConnectedTensorProduct<float>({{64, 0}, {8, 1}, {8, 2}}, kSh, {{64, 0}}).weight_numel(),
      5120);
  EXPECT_THROW(tp.forward(Tensord::zeros({2, 5}), Tensord::zeros({2, 9}),
                          Tensord::zeros({2, tp.weight_numel()})),
               ShapeError);
}

TEST(ComformerTensorProduct, GradientsMatchFiniteDifferences) {
  const FullyConnectedTensorProduct<double> tp(kIn1, kSh, kOut);
  const Index E = 3;
  expect_gradients_match(
      [&](const std::vector<Tensord>& in) { return tp.forward(in[0], in[1], in[2]); },
      {param({E, comformer::irreps_dim(kIn1)}, 1), param({E, 9}, 2),
       param({E, tp.weight_numel()}, 3)});
}

using MatX = Eigen::MatrixXd;

// Dˡ(R) of the harmonics' basis: Y(R s) = D Y(s) fitted on 12 directions (exact, as Yˡ spans a
// (2l+1)-dimensional space and the fit is consistent).
MatX wigner_d(int l, const Mat3d& R, Rng& rng) {
  const int d = 2 * l + 1, n = 12;
  MatX A(d, n), B(d, n);
  for (int k = 0; k < n; ++k) {
    double s[3] = {rng.normal(), rng.normal(), rng.normal()}, Rs[3] = {0, 0, 0};
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j)
        Rs[i] += R[i][j] * s[j];
    double ys[comformer::kShDim], yr[comformer::kShDim];
    comformer::spherical_harmonics(s, ys);
    comformer::spherical_harmonics(Rs, yr);
    for (int m = 0; m < d; ++m) {
      A(m, k) = ys[l * l + m];
      B(m, k) = yr[l * l + m];
    }
  }
  return B * A.transpose() * (A * A.transpose()).inverse();
}

// Applies Dˡ to every (mul, l) block of each row of x: [E, dim] → [E, dim].
std::vector<double> rotate_irreps(const Irreps& irreps, const std::vector<MatX>& D,
                                  const std::vector<double>& x, Index E) {
  const Index dim = comformer::irreps_dim(irreps);
  std::vector<double> y(x.size(), 0.0);
  for (Index e = 0; e < E; ++e) {
    Index off = 0;
    for (const auto& ir : irreps) {
      const int d = 2 * ir.l + 1;
      for (Index u = 0; u < ir.mul; ++u, off += d)
        for (int i = 0; i < d; ++i)
          for (int j = 0; j < d; ++j)
            y[e * dim + off + i] += D[ir.l](i, j) * x[e * dim + off + j];
    }
  }
  return y;
}

TEST(ComformerTensorProduct, EquivariantUnderRotationAndInversion) {
  // fp64 sums of O(1) terms: 1e-12.
  const FullyConnectedTensorProduct<double> tp(kIn1, kSh, kOut);
  const Index E = 4, D1 = comformer::irreps_dim(kIn1);
  Rng rng(5);
  const Tensord x1 = random_tensor<double>({E, D1}, 11);
  const Tensord w = random_tensor<double>({E, tp.weight_numel()}, 12);
  std::vector<double> r(3 * E);
  for (double& v : r)
    v = rng.normal();
  const Tensord y =
      tp.forward(x1, comformer::spherical_harmonics(Tensord::from_host({E, 3}, r)), w);
  for (int trial = 0; trial < 3; ++trial) {
    const Mat3d R = random_rotation(40 + trial);
    std::vector<MatX> D;
    for (int l = 0; l <= 2; ++l) {
      D.push_back(wigner_d(l, R, rng));
      EXPECT_LT((D[l] * D[l].transpose() - MatX::Identity(2 * l + 1, 2 * l + 1)).norm(), 1e-10)
          << "D must be orthogonal, l = " << l;
    }
    std::vector<double> Rr(3 * E, 0.0);
    for (Index e = 0; e < E; ++e)
      for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
          Rr[3 * e + i] += R[i][j] * r[3 * e + j];
    const Tensord x1_rot = Tensord::from_host({E, D1}, rotate_irreps(kIn1, D, x1.to_host(), E));
    const Tensord y_rot =
        tp.forward(x1_rot, comformer::spherical_harmonics(Tensord::from_host({E, 3}, Rr)), w);
    expect_all_near(y_rot.to_host(), rotate_irreps(kOut, D, y.to_host(), E), 1e-12, "rotation");
  }
  // Inversion: odd l flips sign in the inputs (x1 and Y(−r)) and in the output.
  std::vector<MatX> P;
  for (int l = 0; l <= 2; ++l)
    P.push_back(MatX::Identity(2 * l + 1, 2 * l + 1) * (l % 2 == 0 ? 1.0 : -1.0));
  std::vector<double> minus_r(r);
  for (double& v : minus_r)
    v = -v;
  const Tensord y_inv =
      tp.forward(Tensord::from_host({E, D1}, rotate_irreps(kIn1, P, x1.to_host(), E)),
                 comformer::spherical_harmonics(Tensord::from_host({E, 3}, minus_r)), w);
  expect_all_near(y_inv.to_host(), rotate_irreps(kOut, P, y.to_host(), E), 1e-12, "inversion");
}

}  // namespace
}  // namespace pf::test
