// Forward results of every op against simple host loops (fp32 on the model path; tolerance
// 1e-5 relative: a few ulps of float over reductions of ≤ 100 terms).
#include "gradcheck.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>

namespace pf::test {
namespace {

constexpr double kTol = 1e-5;

std::vector<float> host(const Tensorf& t) {
  return t.to_host();
}
Tensorf rnd(const Shape& s, std::uint64_t seed, double lo = -1, double hi = 1) {
  return random_tensor<float>(s, seed, lo, hi);
}

TEST(OpForward, BroadcastArithmetic) {
  const Tensorf a = rnd({2, 3, 4}, 1), b = rnd({3, 1}, 2, 0.5, 2);
  const auto ha = host(a), hb = host(b);
  std::vector<float> want(24);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 4; ++k)
        want[(i * 3 + j) * 4 + k] = ha[(i * 3 + j) * 4 + k] / hb[j];
  expect_all_near(host(div(a, b)), want, kTol, "div");
  EXPECT_EQ(div(a, b).shape(), (Shape{2, 3, 4}));
  EXPECT_THROW(add(a, rnd({2, 2}, 3)), ShapeError);
}

TEST(OpForward, PointwiseFunctions) {
  const Tensorf x = rnd({50}, 4, -4, 4);
  const auto hx = host(x);
  auto check = [&](const Tensorf& y, auto ref, const char* what) {
    std::vector<float> want(hx.size());
    std::transform(hx.begin(), hx.end(), want.begin(), ref);
    expect_all_near(host(y), want, kTol, what);
  };
  check(
      gelu(x), [](double v) { return 0.5 * v * (1 + std::erf(v / std::sqrt(2.0))); }, "gelu");
  check(
      silu(x), [](double v) { return v / (1 + std::exp(-v)); }, "silu");
  check(
      softplus(x), [](double v) { return std::log1p(std::exp(v)); }, "softplus");
  check(
      sigmoid(x), [](double v) { return 1 / (1 + std::exp(-v)); }, "sigmoid");
  check(
      tanh(x), [](double v) { return std::tanh(v); }, "tanh");
  check(
      relu(x), [](double v) { return std::max(v, 0.0); }, "relu");
  check(
      exp(x), [](double v) { return std::exp(v); }, "exp");
  check(
      abs(x), [](double v) { return std::abs(v); }, "abs");
  check(
      square(x), [](double v) { return v * v; }, "square");
  check(
      affine(x, 2.0f, 1.0f), [](double v) { return 2 * v + 1; }, "affine");
  const Tensorf p = rnd({50}, 5, 0.1, 4);
  const auto hp = host(p);
  std::vector<float> wl, ws;
  for (float v : hp)
    wl.push_back(std::log(v)), ws.push_back(std::sqrt(v));
  std::vector<float> wp;
  for (float v : hp) wp.push_back(std::pow(v, 1.7f));
  expect_all_near(host(pow(p, 1.7f)), wp, kTol, "pow");
  expect_all_near(host(log(p)), wl, kTol, "log");
  expect_all_near(host(sqrt(p)), ws, kTol, "sqrt");
  // Large arguments must not overflow: sigmoid(−100) = e^-100, softplus(100) = 100.
  const auto big = host(sigmoid(Tensorf::from_host({2}, {-100.f, 100.f})));
  EXPECT_NEAR(big[0], 0.0f, 1e-30);
  EXPECT_EQ(big[1], 1.0f);
  EXPECT_EQ(softplus(Tensorf::scalar(100.f)).item(), 100.f);
}

TEST(OpForward, Reductions) {
  const Tensorf x = rnd({2, 3, 4}, 6);
  const auto hx = host(x);
  std::vector<float> s(3, 0), m(8, 0), v(3, 0);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 4; ++k) {
        s[j] += hx[(i * 3 + j) * 4 + k];
        m[i * 4 + k] += hx[(i * 3 + j) * 4 + k] / 3;
      }
  for (int j = 0; j < 3; ++j) {
    const double mu = s[j] / 8;
    for (int i = 0; i < 2; ++i)
      for (int k = 0; k < 4; ++k)
        v[j] += (hx[(i * 3 + j) * 4 + k] - mu) * (hx[(i * 3 + j) * 4 + k] - mu) / 7;
  }
  expect_all_near(host(sum(x, {0, 2})), s, kTol, "sum");
  expect_all_near(host(mean(x, {1}, true)), m, kTol, "mean");
  EXPECT_EQ(mean(x, {1}, true).shape(), (Shape{2, 1, 4}));
  expect_all_near(host(var(x, {0, -1}, true)), v, kTol, "var");
  EXPECT_NEAR(sum_all(x).item(), s[0] + s[1] + s[2], 1e-4);
  expect_all_near(host(sum_to(x, {3, 1})), s, kTol, "sum_to");
}

TEST(OpForward, ShapeOps) {
  const Tensorf x = rnd({2, 3, 4}, 7);
  const auto hx = host(x);
  const auto p = host(permute(x, {2, 0, 1}));
  const auto sl = host(slice(x, 2, 1, 4, 2));
  const auto pd = host(pad(x, {0, 1, 0}, {0, 0, 2}, -7.0f));
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 4; ++k) {
        const float v = hx[(i * 3 + j) * 4 + k];
        EXPECT_EQ(p[(k * 2 + i) * 3 + j], v);
        if (k % 2 == 1) EXPECT_EQ(sl[(i * 3 + j) * 2 + k / 2], v);
        EXPECT_EQ(pd[(i * 4 + j + 1) * 6 + k], v);
      }
  EXPECT_EQ(pd[0], -7.0f);
  EXPECT_EQ(pd[5], -7.0f);
  const auto c = host(concat<float>({x, slice(x, 1, 0, 1)}, 1));
  for (int i = 0; i < 2; ++i)
    for (int k = 0; k < 4; ++k)
      EXPECT_EQ(c[(i * 4 + 3) * 4 + k], hx[(i * 3) * 4 + k]);
  EXPECT_EQ(reshape(x, {-1, 2}).shape(), (Shape{12, 2}));
  EXPECT_THROW(reshape(x, {5, -1}), ShapeError);
  EXPECT_THROW(slice(x, 1, 2, 5), ShapeError);
  const auto bc = host(broadcast_to(rnd({3, 1}, 8), {2, 3, 4}));
  EXPECT_EQ(bc[0], bc[3]);
  EXPECT_EQ(bc[0], bc[12]);
}

TEST(OpForward, MatmulMatchesEigen) {
  using Mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  for (bool ta : {false, true})
    for (bool tb : {false, true}) {
      const Index B = 3, M = 17, K = 33, N = 9;
      const Tensorf a = rnd(ta ? Shape{B, K, M} : Shape{B, M, K}, 9);
      const Tensorf b = rnd(tb ? Shape{B, N, K} : Shape{B, K, N}, 10);
      const Tensorf b2 = rnd(tb ? Shape{N, K} : Shape{K, N}, 11);
      const auto c = host(matmul(a, b, ta, tb)), c2 = host(matmul(a, b2, ta, tb));
      const auto ha = host(a), hb = host(b), hb2 = host(b2);
      for (Index i = 0; i < B; ++i) {
        Mat A = Eigen::Map<const Mat>(ha.data() + i * M * K, ta ? K : M, ta ? M : K);
        Mat Bm = Eigen::Map<const Mat>(hb.data() + i * K * N, tb ? N : K, tb ? K : N);
        Mat B2 = Eigen::Map<const Mat>(hb2.data(), tb ? N : K, tb ? K : N);
        if (ta) A.transposeInPlace();
        if (tb) Bm.transposeInPlace(), B2.transposeInPlace();
        const Mat want = A * Bm, want2 = A * B2;
        for (Index r = 0; r < M; ++r)
          for (Index q = 0; q < N; ++q) {
            ASSERT_NEAR(c[(i * M + r) * N + q], want(r, q), 1e-4);
            ASSERT_NEAR(c2[(i * M + r) * N + q], want2(r, q), 1e-4);
          }
      }
    }
  EXPECT_THROW(matmul(rnd({2, 3}, 1), rnd({4, 5}, 2)), ShapeError);
}

TEST(OpForward, LinearAndGroupedConv) {
  const Tensorf x = rnd({5, 4}, 12), w = rnd({3, 4}, 13), b = rnd({3}, 14);
  const auto hx = host(x), hw = host(w), hb = host(b), y = host(linear(x, w, b));
  for (int r = 0; r < 5; ++r)
    for (int o = 0; o < 3; ++o) {
      double acc = hb[o];
      for (int i = 0; i < 4; ++i)
        acc += hx[r * 4 + i] * hw[o * 4 + i];
      EXPECT_NEAR(y[r * 3 + o], acc, 1e-5);
    }
  // groups = 2: output channels 0..2 see input channels 0..1, 3..5 see 2..3.
  const Tensorf xc = rnd({2, 4, 5}, 15), wc = rnd({6, 2, 1}, 16), bc = rnd({6}, 17);
  const auto hxc = host(xc), hwc = host(wc), hbc = host(bc), yc = host(conv1x1(xc, wc, bc, 2));
  for (int n = 0; n < 2; ++n)
    for (int o = 0; o < 6; ++o)
      for (int s = 0; s < 5; ++s) {
        double acc = hbc[o];
        for (int i = 0; i < 2; ++i)
          acc += hwc[o * 2 + i] * hxc[(n * 4 + (o / 3) * 2 + i) * 5 + s];
        EXPECT_NEAR(yc[(n * 6 + o) * 5 + s], acc, 1e-5);
      }
  EXPECT_THROW(conv1x1(xc, rnd({6, 3, 1}, 1), Tensorf(), 2), ShapeError);
}

TEST(OpForward, GatherScatterEmbedding) {
  const Tensorf x = rnd({2, 4, 3}, 18);
  const auto hx = host(x);
  const IndexVec idx = make_index({3, 0, 3});
  const auto g = host(gather(x, 1, idx));
  const auto s = host(scatter_add(gather(x, 1, idx), 1, idx, 4));
  const Index map[3] = {3, 0, 3};
  for (int o = 0; o < 2; ++o)
    for (int m = 0; m < 3; ++m)
      for (int i = 0; i < 3; ++i)
        EXPECT_EQ(g[(o * 3 + m) * 3 + i], hx[(o * 4 + map[m]) * 3 + i]);
  for (int o = 0; o < 2; ++o)
    for (int i = 0; i < 3; ++i) {
      EXPECT_NEAR(s[(o * 4 + 3) * 3 + i], 2 * hx[(o * 4 + 3) * 3 + i], 1e-6);
      EXPECT_EQ(s[(o * 4 + 1) * 3 + i], 0.0f);
    }
  EXPECT_THROW(gather(x, 1, make_index({4})), ShapeError);
  EXPECT_THROW(scatter_add(x, 1, make_index({0, 1}), 4), ShapeError);
  const Tensorf w = rnd({5, 2}, 19);
  const auto e = host(embedding(make_index({4, 1}), {2}, w)), hw = host(w);
  EXPECT_EQ(e[0], hw[8]);
  EXPECT_EQ(e[3], hw[3]);
}

TEST(OpForward, ScatterAddSumsInRowOrderOnEveryBackend) {
  // 5000 rows into 7 segments: the sums must equal the serial loop's bit for bit (no atomics),
  // whatever the backend and thread count.
  const Index M = 5000, S = 7;
  Rng rng(3);
  std::vector<Index> idx(M);
  for (auto& i : idx) i = Index(rng.below(S));
  const Tensorf src = rnd({M, 2}, 29, -1, 1);
  const auto hs = host(src), out = host(scatter_add(src, 0, make_index(idx), S));
  std::vector<float> want(S * 2, 0.0f);
  for (Index m = 0; m < M; ++m)
    for (int c = 0; c < 2; ++c) want[idx[m] * 2 + c] += hs[m * 2 + c];
  EXPECT_EQ(out, want);
}

TEST(OpForward, SoftmaxAndSegmentSoftmax) {
  const Tensorf x = rnd({2, 5, 3}, 20, -30, 30);
  const auto hx = host(x), y = host(softmax(x, 1));
  for (int o = 0; o < 2; ++o)
    for (int i = 0; i < 3; ++i) {
      double mx = -1e30, z = 0;
      for (int j = 0; j < 5; ++j)
        mx = std::max<double>(mx, hx[(o * 5 + j) * 3 + i]);
      for (int j = 0; j < 5; ++j)
        z += std::exp(hx[(o * 5 + j) * 3 + i] - mx);
      for (int j = 0; j < 5; ++j)
        EXPECT_NEAR(y[(o * 5 + j) * 3 + i], std::exp(hx[(o * 5 + j) * 3 + i] - mx) / z, 1e-6);
    }
  // Segments {0: rows 0,2,6}, {1: row 3}, {2: rows 1,4,5}, {3: empty}.
  const std::vector<Index> seg = {0, 2, 0, 1, 2, 2, 0};
  const Tensorf v = rnd({7, 2}, 21, -5, 5);
  const auto hv = host(v), sy = host(segment_softmax(v, make_index(seg), 4));
  for (int h = 0; h < 2; ++h)
    for (Index s = 0; s < 4; ++s) {
      double z = 0;
      for (int e = 0; e < 7; ++e)
        if (seg[e] == s) z += std::exp(hv[e * 2 + h]);
      for (int e = 0; e < 7; ++e)
        if (seg[e] == s) EXPECT_NEAR(sy[e * 2 + h], std::exp(hv[e * 2 + h]) / z, 1e-6);
    }
}

TEST(OpForward, Normalisation) {
  const Tensorf x = rnd({2, 4, 3}, 22, -2, 3), w = rnd({4}, 23), b = rnd({4}, 24);
  const auto hx = host(x), hw = host(w), hb = host(b);
  // GroupNorm, 2 groups of 2 channels × 3 positions.
  const auto gn = host(group_norm(x, 2, w, b, 1e-5f));
  for (int n = 0; n < 2; ++n)
    for (int g = 0; g < 2; ++g) {
      double m = 0, v = 0;
      for (int i = 0; i < 6; ++i)
        m += hx[(n * 4 + g * 2) * 3 + i] / 6;
      for (int i = 0; i < 6; ++i)
        v += std::pow(hx[(n * 4 + g * 2) * 3 + i] - m, 2) / 6;
      for (int i = 0; i < 6; ++i) {
        const int c = g * 2 + i / 3, at = (n * 4 + g * 2) * 3 + i;
        EXPECT_NEAR(gn[at], (hx[at] - m) / std::sqrt(v + 1e-5) * hw[c] + hb[c], 1e-5);
      }
    }
  // LayerNorm over the last axis (3).
  const Tensorf w3 = rnd({3}, 25), b3 = rnd({3}, 26);
  const auto h3w = host(w3), h3b = host(b3), ln = host(layer_norm(x, w3, b3, 1e-5f));
  for (int r = 0; r < 8; ++r) {
    double m = 0, v = 0;
    for (int j = 0; j < 3; ++j)
      m += hx[r * 3 + j] / 3;
    for (int j = 0; j < 3; ++j)
      v += std::pow(hx[r * 3 + j] - m, 2) / 3;
    for (int j = 0; j < 3; ++j)
      EXPECT_NEAR(ln[r * 3 + j], (hx[r * 3 + j] - m) / std::sqrt(v + 1e-5) * h3w[j] + h3b[j], 1e-5);
  }
  // BatchNorm: training normalises with batch statistics and moves the running ones
  // (momentum 0.1, unbiased variance); eval uses the running ones.
  Tensorf rm = Tensorf::zeros({4}), rv = Tensorf::full({4}, 1.0f);
  const auto bn = host(batch_norm(x, rm, rv, w, b, true, 0.1f, 1e-5f));
  const auto hrm = host(rm), hrv = host(rv);
  for (int c = 0; c < 4; ++c) {
    double m = 0, v = 0;
    for (int n = 0; n < 2; ++n)
      for (int s = 0; s < 3; ++s)
        m += hx[(n * 4 + c) * 3 + s] / 6;
    for (int n = 0; n < 2; ++n)
      for (int s = 0; s < 3; ++s)
        v += std::pow(hx[(n * 4 + c) * 3 + s] - m, 2) / 6;
    for (int n = 0; n < 2; ++n)
      for (int s = 0; s < 3; ++s) {
        const int at = (n * 4 + c) * 3 + s;
        EXPECT_NEAR(bn[at], (hx[at] - m) / std::sqrt(v + 1e-5) * hw[c] + hb[c], 1e-5);
      }
    EXPECT_NEAR(hrm[c], 0.1 * m, 1e-6);
    EXPECT_NEAR(hrv[c], 0.9 + 0.1 * v * 6 / 5, 1e-6);
  }
  const auto ev = host(batch_norm(x, rm, rv, Tensorf(), Tensorf(), false, 0.1f, 1e-5f));
  EXPECT_NEAR(ev[0], (hx[0] - hrm[0]) / std::sqrt(hrv[0] + 1e-5), 1e-5);
}

TEST(OpForward, Losses) {
  const Tensorf p = rnd({3, 4}, 27), t = rnd({3, 4}, 28);
  const auto hp = host(p), ht = host(t);
  double mse = 0, l1 = 0, rel = 0;
  for (int i = 0; i < 12; ++i)
    mse += std::pow(hp[i] - ht[i], 2) / 12, l1 += std::abs(hp[i] - ht[i]) / 12;
  for (int b = 0; b < 3; ++b) {
    double e = 0, r = 0;
    for (int i = 0; i < 4; ++i)
      e += std::pow(hp[b * 4 + i] - ht[b * 4 + i], 2), r += std::pow(ht[b * 4 + i], 2);
    rel += std::sqrt(e / r) / 3;
  }
  EXPECT_NEAR(mse_loss(p, t).item(), mse, 1e-6);
  EXPECT_NEAR(l1_loss(p, t).item(), l1, 1e-6);
  EXPECT_NEAR(rel_l2_loss(p, t).item(), rel, 1e-6);
  EXPECT_THROW(mse_loss(p, rnd({4, 3}, 1)), ShapeError);
}

}  // namespace
}  // namespace pf::test
