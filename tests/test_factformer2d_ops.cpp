// FactFormer's fused ops: forward against plain host loops, gradients against central
// differences in fp64 (tests/gradcheck.hpp), on small odd shapes with B > 1 and H > 1.
#include "gradcheck.hpp"

#include "models/factformer/ops.hpp"

#include <cmath>

namespace pf::test {
namespace {

using Inputs = std::vector<Tensord>;
using namespace pf::factformer;

// Host values are exact in fp64 up to summation order: 1e-12 relative.
constexpr double kForwardTol = 1e-12;

TEST(FactFormerOps, AxialAttentionMatchesHostLoops) {
  // 5 heads: a full group of four and a group of one
  const Index B = 2, H = 5, X = 3, Y = 4, D = 2, C = 3;
  const Tensord kx = random_tensor({B, H, X, X}, 1), ky = random_tensor({B, H, Y, Y}, 2);
  const Tensord h = random_tensor({B, X, Y, C}, 3), wv = random_tensor({H * D, C}, 4);
  const auto out = axial_attention(kx, ky, h, wv, 1e-8).to_host();
  const auto K = kx.to_host(), L = ky.to_host(), hh = h.to_host(), W = wv.to_host();
  std::vector<double> want(out.size(), 0.0);
  for (Index b = 0; b < B; ++b)
    for (Index i = 0; i < X; ++i)
      for (Index l = 0; l < Y; ++l)
        for (Index hd = 0; hd < H * D; ++hd) {
          const Index head = hd / D;
          double acc = 0;
          for (Index j = 0; j < X; ++j)
            for (Index m = 0; m < Y; ++m) {
              double v = 0;  // v[b, j, m, hd] = h[b, j, m, :] · w_v[hd, :]
              for (Index c = 0; c < C; ++c)
                v += hh[((b * X + j) * Y + m) * C + c] * W[hd * C + c];
              acc += K[((b * H + head) * X + i) * X + j] * L[((b * H + head) * Y + l) * Y + m] * v;
            }
          want[((b * X + i) * Y + l) * H * D + hd] = acc;
        }
  // then each (sample, head) normalised over its X·Y·D values, unbiased variance
  for (Index b = 0; b < B; ++b)
    for (Index head = 0; head < H; ++head) {
      double m = 0, v = 0;
      const auto at = [&](Index p, Index d) { return (b * X * Y + p) * H * D + head * D + d; };
      for (Index p = 0; p < X * Y; ++p)
        for (Index d = 0; d < D; ++d)
          m += want[at(p, d)];
      m /= double(X * Y * D);
      for (Index p = 0; p < X * Y; ++p)
        for (Index d = 0; d < D; ++d)
          v += (want[at(p, d)] - m) * (want[at(p, d)] - m);
      v /= double(X * Y * D - 1);
      for (Index p = 0; p < X * Y; ++p)
        for (Index d = 0; d < D; ++d)
          want[at(p, d)] = (want[at(p, d)] - m) / std::sqrt(v + 1e-8);
    }
  // the one-pass variance (Σx² − n m²) costs a few ulps more than host's two passes
  expect_all_near(out, want, 1e-10, "axial_attention");
}

TEST(FactFormerOps, AxialAttentionGradients) {
  expect_gradients_match(
      [](const Inputs& in) { return axial_attention(in[0], in[1], in[2], in[3], 1e-5); },
      {param({2, 2, 3, 3}, 11), param({2, 2, 4, 4}, 12), param({2, 3, 4, 3}, 13),
       param({4, 3}, 14)});
  // 5 heads of one channel: groups of four and one
  expect_gradients_match(
      [](const Inputs& in) { return axial_attention(in[0], in[1], in[2], in[3], 1e-5); },
      {param({1, 5, 2, 2}, 15), param({1, 5, 3, 3}, 16), param({1, 2, 3, 2}, 17),
       param({5, 2}, 18)});
}

TEST(FactFormerOps, DomainGroupNormMatchesHostLoops) {
  const Index B = 2, P = 5, G = 3, D = 2;
  const Tensord x = random_tensor({B, P, 1, G * D}, 21, -2, 3);
  for (const bool unbiased : {true, false}) {
    const auto y = domain_group_norm(x, G, 1e-8, unbiased).to_host();
    const auto xv = x.to_host();
    std::vector<double> want(xv.size());
    for (Index b = 0; b < B; ++b)
      for (Index g = 0; g < G; ++g) {
        double m = 0, v = 0;
        const auto at = [&](Index p, Index d) { return ((b * P + p) * G + g) * D + d; };
        for (Index p = 0; p < P; ++p)
          for (Index d = 0; d < D; ++d)
            m += xv[at(p, d)];
        m /= double(P * D);
        for (Index p = 0; p < P; ++p)
          for (Index d = 0; d < D; ++d)
            v += (xv[at(p, d)] - m) * (xv[at(p, d)] - m);
        v /= double(unbiased ? P * D - 1 : P * D);
        for (Index p = 0; p < P; ++p)
          for (Index d = 0; d < D; ++d)
            want[at(p, d)] = (xv[at(p, d)] - m) / std::sqrt(v + 1e-8);
      }
    // the kernel's one-pass variance (Σx² − n m²) loses ~1e-15 · (mean/std)²: 1e-10 here
    expect_all_near(y, want, 1e-10, unbiased ? "unbiased" : "biased");
  }
}

TEST(FactFormerOps, DomainGroupNormGradients) {
  for (const bool unbiased : {true, false}) {
    SCOPED_TRACE(unbiased ? "unbiased" : "biased");
    expect_gradients_match(
        [unbiased](const Inputs& in) { return domain_group_norm(in[0], 2, 1e-5, unbiased); },
        {param({2, 3, 2, 4}, 22, -1, 2)});
    expect_gradients_match(
        [unbiased](const Inputs& in) {
          return domain_group_norm(in[0], 2, 1e-5, unbiased, in[1], in[2]);
        },
        {param({2, 3, 2, 4}, 23, -1, 2), param({4}, 24, 0.5, 1.5), param({4}, 25)});
  }
}

TEST(FactFormerOps, DomainGroupNormAffineMatchesComposition) {
  const Tensord x = random_tensor({2, 5, 6}, 26), w = random_tensor({6}, 27);
  const Tensord b = random_tensor({6}, 28);
  expect_all_near(domain_group_norm(x, 3, 1e-5, false, w, b).to_host(),
                  add(mul(domain_group_norm(x, 3, 1e-5, false), w), b).to_host(), kForwardTol);
}

TEST(FactFormerOps, AxisMeansMatchHostLoops) {
  const Index B = 2, X = 3, Y = 4, C = 2;
  const Tensord x = random_tensor({B, X, Y, C}, 31);
  const auto out = axis_means(x).to_host();
  const auto xv = x.to_host();
  std::vector<double> want(size_t(B * (X + Y) * C), 0.0);
  for (Index b = 0; b < B; ++b)
    for (Index i = 0; i < X; ++i)
      for (Index j = 0; j < Y; ++j)
        for (Index c = 0; c < C; ++c) {
          const double v = xv[((b * X + i) * Y + j) * C + c];
          want[(b * (X + Y) + i) * C + c] += v / double(Y);
          want[(b * (X + Y) + X + j) * C + c] += v / double(X);
        }
  expect_all_near(out, want, kForwardTol, "axis_means");
  expect_gradients_match([](const Inputs& in) { return axis_means(in[0]); },
                         {param({B, X, Y, C}, 32)});
}

TEST(FactFormerOps, GroupedLinearMatchesHostLoops) {
  const Index R = 5, G = 3, GI = 2, GO = 4;
  const Tensord x = random_tensor({R, G * GI}, 41), w = random_tensor({G * GO, GI, 1}, 42);
  const auto out = grouped_linear(x, w, G).to_host();
  const auto xv = x.to_host(), wv = w.to_host();
  std::vector<double> want(size_t(R * G * GO), 0.0);
  for (Index r = 0; r < R; ++r)
    for (Index o = 0; o < G * GO; ++o)
      for (Index k = 0; k < GI; ++k)
        want[r * G * GO + o] += xv[r * G * GI + (o / GO) * GI + k] * wv[o * GI + k];
  expect_all_near(out, want, kForwardTol, "grouped_linear");
  expect_gradients_match([](const Inputs& in) { return grouped_linear(in[0], in[1], 3); },
                         {param({2, R, G * GI}, 43), param({G * GO, GI, 1}, 44)});
}

TEST(FactFormerOps, GeluLinearMatchesCompositionAndGradients) {
  const Tensord x = random_tensor({2, 3, 4}, 61, -3, 3), w = random_tensor({5, 4}, 62);
  const Tensord b = random_tensor({5}, 63);
  expect_all_near(gelu_linear(x, w, b).to_host(), linear(gelu(x), w, b).to_host(), kForwardTol);
  expect_gradients_match([](const Inputs& in) { return gelu_linear(in[0], in[1], in[2]); },
                         {param({2, 3, 4}, 64, -3, 3), param({5, 4}, 65), param({5}, 66)});
  expect_gradients_match([](const Inputs& in) { return gelu_linear(in[0], in[1], Tensord()); },
                         {param({7, 4}, 67, -3, 3), param({3, 4}, 68)});
}

TEST(FactFormerOps, LayerNormLinearMatchesCompositionAndGradients) {
  const Tensord x = random_tensor({2, 3, 4}, 81, -2, 2), lw = random_tensor({4}, 82, 0.5, 1.5);
  const Tensord lb = random_tensor({4}, 83), w = random_tensor({5, 4}, 84);
  const Tensord b = random_tensor({5}, 85);
  expect_all_near(layer_norm_linear(x, lw, lb, 1e-5, w, b).to_host(),
                  linear(layer_norm(x, lw, lb, 1e-5), w, b).to_host(), kForwardTol);
  expect_gradients_match(
      [](const Inputs& in) { return layer_norm_linear(in[0], in[1], in[2], 1e-5, in[3], in[4]); },
      {param({2, 3, 4}, 86, -2, 2), param({4}, 87, 0.5, 1.5), param({4}, 88), param({5, 4}, 89),
       param({5}, 90)});
}

TEST(FactFormerOps, FourierEncodingMatchesHostLoopsAndGradients) {
  const std::vector<float> px = {0.0f, 0.5f, 1.25f}, py = {0.0f, 2.0f};
  const Tensord bm = random_tensor({2, 3}, 71, -2, 2), u = random_tensor({2, 3, 2, 4}, 76);
  const Tensord w = random_tensor({4, 6}, 72), bias = random_tensor({4}, 73);
  const auto got = add_fourier_encoding(u, {px, py}, bm, w, bias).to_host();
  const auto B = bm.to_host(), W = w.to_host(), bb = bias.to_host(), uu = u.to_host();
  std::vector<double> want;
  for (Index b = 0; b < 2; ++b)
    for (float x : px)
      for (float y : py)
        for (Index c = 0; c < 4; ++c) {
          double acc = bb[c] + uu[want.size()];
          for (Index f = 0; f < 3; ++f) {
            const double a = 2 * M_PI * (double(x) * B[f] + double(y) * B[3 + f]);
            acc += W[c * 6 + f] * std::sin(a) + W[c * 6 + 3 + f] * std::cos(a);
          }
          want.push_back(acc);
        }
  expect_all_near(got, want, kForwardTol, "add_fourier_encoding");
  expect_gradients_match(
      [&](const Inputs& in) {
        return add_fourier_encoding(in[0], {px, py}, bm, in[1], in[2]);
      },
      {param({2, 3, 2, 4}, 77), param({4, 6}, 74), param({4}, 75)});
}

TEST(FactFormerOps, RotaryKernelAndGegluGradients) {
  // rotary: angles from a fixed table; the kernel scale of kernel_multiplier > 4
  const Tensord cos = random_tensor({3, 4}, 51), sin = random_tensor({3, 4}, 52);
  expect_gradients_match([&](const Inputs& in) { return rotary(in[0], 2, cos, sin); },
                         {param({2, 3, 8}, 53)});
  expect_gradients_match([](const Inputs& in) { return axis_kernel(in[0], in[1], 2, 0.3); },
                         {param({2, 3, 8}, 54), param({2, 3, 8}, 55)});
  expect_gradients_match([](const Inputs& in) { return geglu(in[0]); }, {param({2, 3, 6}, 56)});
}

TEST(FactFormerOps, AxisKernelMatchesHostLoops) {
  const Index B = 2, n = 3, H = 2, Dk = 4;
  const Tensord q = random_tensor({B, n, H * Dk}, 57), k = random_tensor({B, n, H * Dk}, 58);
  const auto got = axis_kernel(q, k, H, 0.5).to_host();
  const auto qv = q.to_host(), kv = k.to_host();
  std::vector<double> want;
  for (Index b = 0; b < B; ++b)
    for (Index h = 0; h < H; ++h)
      for (Index i = 0; i < n; ++i)
        for (Index j = 0; j < n; ++j) {
          double acc = 0;
          for (Index d = 0; d < Dk; ++d)
            acc += qv[(b * n + i) * H * Dk + h * Dk + d] * kv[(b * n + j) * H * Dk + h * Dk + d];
          want.push_back(0.5 * acc);
        }
  expect_all_near(got, want, kForwardTol, "axis_kernel");
}

TEST(FactFormerOps, RotaryRotatesHalves) {
  // x·cos + rotate_half(x)·sin with rotate_half([a, b]) = [−b, a], per head
  const Tensord x = Tensord::from_host({1, 1, 4}, {1, 2, 3, 4});
  const Tensord cos = Tensord::from_host({1, 2}, {0.5, 0.25});
  const Tensord sin = Tensord::from_host({1, 2}, {2, 3});
  // head 0: [1, 2] → [1·0.5 − 2·2, 2·0.25 + 1·3]; head 1: [3, 4] → [3·0.5 − 4·2, 4·0.25 + 3·3]
  expect_all_near(rotary(x, 2, cos, sin).to_host(), {-3.5, 3.5, -6.5, 10.0}, kForwardTol);
}

}  // namespace
}  // namespace pf::test
