// FactFormer's ops on three axes and FactFormer-3D's input projection: forward against plain
// host loops, gradients against central differences in fp64 (tests/gradcheck.hpp).
#include "gradcheck.hpp"

#include "models/factformer/ops.hpp"
#include "tensor/ops.hpp"

#include <cmath>

namespace pf::test {
namespace {

using Inputs = std::vector<Tensord>;
using namespace pf::factformer;

// Host values are exact in fp64 up to summation order: 1e-12 relative.
constexpr double kForwardTol = 1e-12;

TEST(FactFormer3DOps, AxialAttentionMatchesHostLoops) {
  // 5 heads: a full group of four and a group of one
  const Index B = 2, H = 5, X = 3, Y = 2, Z = 4, D = 2, C = 3, P = X * Y * Z;
  const Tensord kx = random_tensor({B, H, X, X}, 1), ky = random_tensor({B, H, Y, Y}, 2);
  const Tensord kz = random_tensor({B, H, Z, Z}, 5);
  const Tensord h = random_tensor({B, X, Y, Z, C}, 3), wv = random_tensor({H * D, C}, 4);
  const auto out = axial_attention(kx, ky, kz, h, wv, 1e-8).to_host();
  const auto K = kx.to_host(), L = ky.to_host(), M = kz.to_host(), hh = h.to_host();
  const auto W = wv.to_host();
  std::vector<double> want(out.size(), 0.0);
  for (Index b = 0; b < B; ++b)
    for (Index i = 0; i < X; ++i)
      for (Index l = 0; l < Y; ++l)
        for (Index r = 0; r < Z; ++r)
          for (Index hd = 0; hd < H * D; ++hd) {
            const Index head = hd / D, bh = b * H + head;
            double acc = 0;
            for (Index j = 0; j < X; ++j)
              for (Index m = 0; m < Y; ++m)
                for (Index s = 0; s < Z; ++s) {
                  double v = 0;  // v[b, j, m, s, hd] = h[b, j, m, s, :] · w_v[hd, :]
                  for (Index c = 0; c < C; ++c)
                    v += hh[(((b * X + j) * Y + m) * Z + s) * C + c] * W[hd * C + c];
                  acc += K[(bh * X + i) * X + j] * L[(bh * Y + l) * Y + m] *
                         M[(bh * Z + r) * Z + s] * v;
                }
            want[(((b * X + i) * Y + l) * Z + r) * H * D + hd] = acc;
          }
  // then each (sample, head) normalised over its X·Y·Z·D values, unbiased variance
  for (Index b = 0; b < B; ++b)
    for (Index head = 0; head < H; ++head) {
      double m = 0, v = 0;
      const auto at = [&](Index p, Index d) { return (b * P + p) * H * D + head * D + d; };
      for (Index p = 0; p < P; ++p)
        for (Index d = 0; d < D; ++d)
          m += want[at(p, d)];
      m /= double(P * D);
      for (Index p = 0; p < P; ++p)
        for (Index d = 0; d < D; ++d)
          v += (want[at(p, d)] - m) * (want[at(p, d)] - m);
      v /= double(P * D - 1);
      for (Index p = 0; p < P; ++p)
        for (Index d = 0; d < D; ++d)
          want[at(p, d)] = (want[at(p, d)] - m) / std::sqrt(v + 1e-8);
    }
  // the one-pass variance (Σx² − n m²) costs a few ulps more than host's two passes
  expect_all_near(out, want, 1e-10, "axial_attention 3D");
}

TEST(FactFormer3DOps, AxialAttentionGradients) {
  expect_gradients_match(
      [](const Inputs& in) { return axial_attention(in[0], in[1], in[2], in[3], in[4], 1e-5); },
      {param({2, 2, 3, 3}, 11), param({2, 2, 2, 2}, 12), param({2, 2, 4, 4}, 19),
       param({2, 3, 2, 4, 3}, 13), param({4, 3}, 14)});
  // 5 heads of one channel: groups of four and one
  expect_gradients_match(
      [](const Inputs& in) { return axial_attention(in[0], in[1], in[2], in[3], in[4], 1e-5); },
      {param({1, 5, 2, 2}, 15), param({1, 5, 3, 3}, 16), param({1, 5, 2, 2}, 20),
       param({1, 2, 3, 2, 2}, 17), param({5, 2}, 18)});
}

TEST(FactFormer3DOps, AxisMeansMatchHostLoops) {
  const Index B = 2, X = 3, Y = 4, Z = 2, C = 2, R = X + Y + Z;
  const Tensord x = random_tensor({B, X, Y, Z, C}, 31);
  const auto out = axis_means(x).to_host();
  const auto xv = x.to_host();
  std::vector<double> want(size_t(B * R * C), 0.0);
  for (Index b = 0; b < B; ++b)
    for (Index i = 0; i < X; ++i)
      for (Index j = 0; j < Y; ++j)
        for (Index k = 0; k < Z; ++k)
          for (Index c = 0; c < C; ++c) {
            const double v = xv[(((b * X + i) * Y + j) * Z + k) * C + c];
            want[(b * R + i) * C + c] += v / double(Y * Z);
            want[(b * R + X + j) * C + c] += v / double(X * Z);
            want[(b * R + X + Y + k) * C + c] += v / double(X * Y);
          }
  expect_all_near(out, want, kForwardTol, "axis_means 3D");
  expect_gradients_match([](const Inputs& in) { return axis_means(in[0]); },
                         {param({B, X, Y, Z, C}, 32)});
}

TEST(FactFormer3DOps, FourierEncodingMatchesHostLoopsAndGradients) {
  const std::vector<float> px = {0.0f, 0.5f, 1.25f}, py = {0.0f, 2.0f}, pz = {0.25f, 1.0f};
  const Tensord bm = random_tensor({3, 3}, 71, -2, 2), u = random_tensor({2, 3, 2, 2, 4}, 76);
  const Tensord w = random_tensor({4, 6}, 72), bias = random_tensor({4}, 73);
  const auto got = add_fourier_encoding(u, {px, py, pz}, bm, w, bias).to_host();
  const auto B = bm.to_host(), W = w.to_host(), bb = bias.to_host(), uu = u.to_host();
  std::vector<double> want;
  for (Index b = 0; b < 2; ++b)
    for (float x : px)
      for (float y : py)
        for (float z : pz)
          for (Index c = 0; c < 4; ++c) {
            double acc = bb[c] + uu[want.size()];
            for (Index f = 0; f < 3; ++f) {
              const double a =
                  2 * M_PI * (double(x) * B[f] + double(y) * B[3 + f] + double(z) * B[6 + f]);
              acc += W[c * 6 + f] * std::sin(a) + W[c * 6 + 3 + f] * std::cos(a);
            }
            want.push_back(acc);
          }
  expect_all_near(got, want, kForwardTol, "add_fourier_encoding 3D");
  expect_gradients_match(
      [&](const Inputs& in) {
        return add_fourier_encoding(in[0], {px, py, pz}, bm, in[1], in[2]);
      },
      {param({2, 3, 2, 2, 4}, 77), param({4, 6}, 74), param({4}, 75)});
}

// The reference's input convolutions, written out: u [B, T, X, Y, Z, F] → [B, X+p, Y+p, Z+p, C].
std::vector<double> window_projection_host(const Tensord& u, const Tensord& w1, const Tensord& b1,
                                           const Tensord& w2, Index pad) {
  const Index B = u.dim(0), T = u.dim(1), X = u.dim(2), Y = u.dim(3), Z = u.dim(4), F = u.dim(5);
  const Index C1 = w1.dim(0), C = w2.dim(0), per = C1 / F;
  const auto uu = u.to_host(), a = w1.to_host(), bb = b1.to_host(), w = w2.to_host();
  const Index Xp = X + pad, Yp = Y + pad, Zp = Z + pad;
  std::vector<double> out(size_t(B * Xp * Yp * Zp * C), 0.0);
  for (Index b = 0; b < B; ++b)
    for (Index i = 0; i < X; ++i)
      for (Index j = 0; j < Y; ++j)
        for (Index k = 0; k < Z; ++k)
          for (Index o = 0; o < C; ++o) {
            double acc = 0;
            for (Index c = 0; c < C1; ++c)
              for (Index t = 0; t < T; ++t) {
                const double x =
                    a[c] * uu[(((((b * T + t) * X + i) * Y + j) * Z + k) * F) + c / per] + bb[c];
                acc += w[(o * C1 + c) * T + t] * 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
              }
            out[size_t((((b * Xp + i) * Yp + j) * Zp + k) * C + o)] = acc;
          }
  return out;
}

TEST(FactFormer3DOps, WindowProjectionMatchesHostLoopsAndGradients) {
  // 2 fields of 3 channels each, 3 frames, 2 pad cells; more rows than one block (1024) so the
  // blocked loop and the pad rows of several blocks are exercised
  const Tensord u = random_tensor({2, 3, 10, 8, 6, 2}, 91, -2, 2);
  const Tensord w1 = random_tensor({6, 1, 1, 1}, 92), b1 = random_tensor({6}, 93);
  const Tensord w2 = random_tensor({5, 6, 3, 1}, 94);
  // the kernels' GELU uses a fast erf good to ~1e-7 relative (kernels/elementwise.hpp)
  expect_all_near(window_projection(u, w1, b1, w2, 2).to_host(),
                  window_projection_host(u, w1, b1, w2, 2), 1e-6, "window_projection");
  expect_all_near(window_projection(u, w1, b1, w2, 0).to_host(),
                  window_projection_host(u, w1, b1, w2, 0), 1e-6, "window_projection, no pad");
  expect_gradients_match(
      [](const Inputs& in) { return window_projection(in[0], in[1], in[2], in[3], 1); },
      {param({2, 2, 3, 2, 4, 2}, 95, -2, 2), param({4, 1, 1, 1}, 96), param({4}, 97),
       param({3, 4, 2, 1}, 98)});
}

TEST(FactFormer3DOps, CropPaddingMatchesSlicesAndGradients) {
  const Tensord x = random_tensor({2, 5, 4, 6, 3}, 101);
  expect_all_near(crop_padding(x, 2).to_host(),
                  slice(slice(slice(x, 1, 0, 3), 2, 0, 2), 3, 0, 4).to_host(), kForwardTol,
                  "crop_padding");
  expect_gradients_match([](const Inputs& in) { return crop_padding(in[0], 1); },
                         {param({2, 3, 4, 3, 2}, 102)});
  EXPECT_THROW(crop_padding(x, 4), ShapeError);
}

}  // namespace
}  // namespace pf::test
