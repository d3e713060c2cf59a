// conv3d forward against a direct host loop, gradients against finite differences (fp64) and
// against the direct loop's adjoint on a layer big enough to need several im2col blocks.
#include "gradcheck.hpp"
#include "nn/conv.hpp"
#include "tensor/ops_conv.hpp"

#include <algorithm>
#include <cmath>

#include <array>

namespace pf::test {
namespace {

struct ConvCase {
  Index B, X, Y, Z, Cin, Cout;
  std::array<Index, 3> k;
  Index stride, pad;
  bool bias;
};

Index out_extent(Index n, Index k, const ConvCase& c) {
  return (n + 2 * c.pad - k) / c.stride + 1;
}

// Visits every (output point, tap, input point) triple of the convolution with the flat offsets
// of the output row, the input row and the weight's (co = 0, ci = 0, tap) entry.
template <class F>
void for_each_tap(const ConvCase& c, F&& f) {
  const Index OX = out_extent(c.X, c.k[0], c), OY = out_extent(c.Y, c.k[1], c),
              OZ = out_extent(c.Z, c.k[2], c);
  for (Index b = 0; b < c.B; ++b)
    for (Index ox = 0; ox < OX; ++ox)
      for (Index oy = 0; oy < OY; ++oy)
        for (Index oz = 0; oz < OZ; ++oz)
          for (Index dx = 0; dx < c.k[0]; ++dx)
            for (Index dy = 0; dy < c.k[1]; ++dy)
              for (Index dz = 0; dz < c.k[2]; ++dz) {
                const Index ix = ox * c.stride - c.pad + dx, iy = oy * c.stride - c.pad + dy,
                            iz = oz * c.stride - c.pad + dz;
                if (ix < 0 || ix >= c.X || iy < 0 || iy >= c.Y || iz < 0 || iz >= c.Z) continue;
                const Index p = ((b * OX + ox) * OY + oy) * OZ + oz;
                const Index i = ((b * c.X + ix) * c.Y + iy) * c.Z + iz;
                const Index t = (dx * c.k[1] + dy) * c.k[2] + dz;
                f(p, i, t);
              }
}

Index taps(const ConvCase& c) {
  return c.k[0] * c.k[1] * c.k[2];
}
Index out_points(const ConvCase& c) {
  return c.B * out_extent(c.X, c.k[0], c) * out_extent(c.Y, c.k[1], c) * out_extent(c.Z, c.k[2], c);
}

std::vector<double> naive_forward(const ConvCase& c, const std::vector<double>& x,
                                  const std::vector<double>& w, const std::vector<double>& b) {
  const Index P = out_points(c), T = taps(c);
  std::vector<double> out(P * c.Cout, 0.0);
  for (Index p = 0; p < P; ++p)
    for (Index co = 0; co < c.Cout; ++co)
      out[p * c.Cout + co] = c.bias ? b[co] : 0.0;
  for_each_tap(c, [&](Index p, Index i, Index t) {
    for (Index co = 0; co < c.Cout; ++co)
      for (Index ci = 0; ci < c.Cin; ++ci)
        out[p * c.Cout + co] += w[(co * c.Cin + ci) * T + t] * x[i * c.Cin + ci];
  });
  return out;
}

template <class T>
std::vector<double> as_double(const Tensor<T>& t) {
  const auto v = t.to_host();
  return std::vector<double>(v.begin(), v.end());
}

template <class T>
struct ConvInputs {
  Tensor<T> x, w, b;
};

template <class T>
ConvInputs<T> make_inputs(const ConvCase& c, std::uint64_t seed) {
  ConvInputs<T> in;
  in.x = random_tensor<T>({c.B, c.X, c.Y, c.Z, c.Cin}, seed);
  in.w = random_tensor<T>({c.Cout, c.Cin, c.k[0], c.k[1], c.k[2]}, seed + 1);
  if (c.bias) in.b = random_tensor<T>({c.Cout}, seed + 2);
  return in;
}

const std::vector<ConvCase> kCases = {
    {1, 4, 4, 4, 3, 5, {3, 3, 3}, 1, 1, true},   // the model's 3×3×3, pad 1
    {2, 7, 5, 6, 4, 3, {3, 3, 3}, 2, 1, true},   // stride 2, odd and non-cubic grid, B = 2
    {2, 8, 6, 4, 3, 6, {3, 3, 3}, 2, 1, false},  // even grid halves exactly; no bias
    {1, 5, 6, 7, 2, 2, {1, 1, 1}, 1, 0, false},  // pointwise
    {2, 6, 5, 4, 3, 4, {2, 2, 2}, 2, 0, true},   // even kernel, remainder dropped on odd axes
    {1, 3, 4, 5, 3, 2, {3, 3, 3}, 3, 2, true},   // some outputs see only padding
    {1, 5, 4, 6, 2, 3, {3, 1, 2}, 1, 1, true},   // non-cubic kernel, padding ≥ kernel on y
    {1, 5, 4, 6, 2, 3, {3, 2, 2}, 1, 1, true},   // non-cubic kernel, stride 1
};

// fp32 forward vs the fp64 loop: sums of ≤ 27·Cin ≤ 108 products of values in [−1, 1], so a
// relative 1e-5 (≈ 100 ulps of float) bounds the rounding of either summation order.
TEST(Conv3d, ForwardMatchesDirectLoop) {
  for (const ConvCase& c : kCases) {
    SCOPED_TRACE(::testing::Message() << "case " << (&c - kCases.data()));
    const ConvInputs<float> in = make_inputs<float>(c, 11);
    const Tensorf y = conv3d(in.x, in.w, in.b, c.stride, c.pad);
    EXPECT_EQ(y.shape(), (Shape{c.B, out_extent(c.X, c.k[0], c), out_extent(c.Y, c.k[1], c),
                                out_extent(c.Z, c.k[2], c), c.Cout}));
    const std::vector<double> b = c.bias ? as_double(in.b) : std::vector<double>{};
    expect_all_near(as_double(y), naive_forward(c, as_double(in.x), as_double(in.w), b), 1e-5);
  }
}

TEST(Conv3d, GradientsMatchFiniteDifferences) {
  for (const ConvCase& c : kCases) {
    SCOPED_TRACE(::testing::Message() << "case " << (&c - kCases.data()));
    ConvInputs<double> in = make_inputs<double>(c, 21);
    std::vector<Tensord> params = {in.x, in.w};
    if (c.bias) params.push_back(in.b);
    for (auto& p : params)
      p.set_requires_grad(true);
    expect_gradients_match(
        [&](const std::vector<Tensord>& t) {
          return conv3d(t[0], t[1], c.bias ? t[2] : Tensord(), c.stride, c.pad);
        },
        params);
  }
}

// Layers big enough for several im2col blocks (on the host 256-row blocks: 11 and 3 of them;
// on a GPU the first takes two 2427-row blocks): the gradients must add up across blocks, at
// stride 1 and 2. Reference: the direct loop's adjoint
// for L = Σ g ⊙ conv3d(x, w, b); fp64, so 1e-10 relative only absorbs summation order.
TEST(Conv3d, BlockedGradientsMatchDirectAdjoint) {
  for (const ConvCase& c : {ConvCase{2, 13, 11, 9, 64, 5, {3, 3, 3}, 1, 1, true},
                            ConvCase{1, 17, 16, 15, 8, 4, {3, 3, 3}, 2, 1, true}}) {
    SCOPED_TRACE(::testing::Message() << "stride " << c.stride);
    ConvInputs<double> in = make_inputs<double>(c, 31);
    in.x.set_requires_grad(true);
    in.w.set_requires_grad(true);
    in.b.set_requires_grad(true);
    const Tensord y = conv3d(in.x, in.w, in.b, c.stride, c.pad);
    const Tensord g = random_tensor<double>(y.shape(), 32);
    sum_all(mul(y, g)).backward();

    const auto hx = as_double(in.x), hw = as_double(in.w), hg = as_double(g);
    const Index T = taps(c);
    std::vector<double> gx(hx.size(), 0.0), gw(hw.size(), 0.0), gb(c.Cout, 0.0);
    for (Index p = 0; p < out_points(c); ++p)
      for (Index co = 0; co < c.Cout; ++co)
        gb[co] += hg[p * c.Cout + co];
    for_each_tap(c, [&](Index p, Index i, Index t) {
      for (Index co = 0; co < c.Cout; ++co)
        for (Index ci = 0; ci < c.Cin; ++ci) {
          gx[i * c.Cin + ci] += hg[p * c.Cout + co] * hw[(co * c.Cin + ci) * T + t];
          gw[(co * c.Cin + ci) * T + t] += hg[p * c.Cout + co] * hx[i * c.Cin + ci];
        }
    });
    const auto host_grad = [](const Tensord& t) {
      const Tensord view(t.grad(), t.shape());
      return view.to_host();
    };
    expect_all_near(as_double(y), naive_forward(c, hx, hw, as_double(in.b)), 1e-10, "forward");
    expect_all_near(host_grad(in.x), gx, 1e-10, "grad x");
    expect_all_near(host_grad(in.w), gw, 1e-10, "grad weight");
    expect_all_near(host_grad(in.b), gb, 1e-10, "grad bias");
  }
}

// Backward keeps x only for the weight gradient and the packed weight only for the input
// gradient: each alone must still be right.
TEST(Conv3d, GradientOfInputOrWeightAlone) {
  const ConvCase& c = kCases[1];
  for (int which = 0; which < 2; ++which) {
    SCOPED_TRACE(which == 0 ? "x only" : "weight only");
    ConvInputs<double> in = make_inputs<double>(c, 61);
    (which == 0 ? in.x : in.w).set_requires_grad(true);
    expect_gradients_match(
        [&](const std::vector<Tensord>& t) { return conv3d(t[0], t[1], t[2], c.stride, c.pad); },
        {in.x, in.w, in.b});
  }
}

TEST(Conv3d, RejectsInconsistentShapes) {
  const Tensorf x = random_tensor<float>({1, 4, 4, 4, 3}, 1);
  const Tensorf w = random_tensor<float>({2, 3, 3, 3, 3}, 2);
  EXPECT_THROW(conv3d(random_tensor<float>({4, 4, 4, 3}, 3), w, Tensorf()), ShapeError);
  EXPECT_THROW(conv3d(x, random_tensor<float>({2, 2, 3, 3, 3}, 4), Tensorf()), ShapeError);
  EXPECT_THROW(conv3d(x, w, random_tensor<float>({3}, 5)), ShapeError);
  EXPECT_THROW(conv3d(x, w, Tensorf(), 0, 1), ShapeError);
  EXPECT_THROW(conv3d(x, random_tensor<float>({2, 3, 7, 3, 3}, 6), Tensorf(), 1, 1), ShapeError);
}

// torch.nn.Conv3d's names, shapes and default init bound 1/√(in·k³) for weight and bias.
TEST(Conv3d, ModuleHasTorchParametersAndInit) {
  Rng rng(7);
  const Conv3d<float> conv(4, 6, 3, 2, 1, true, rng);
  const auto params = conv.named_parameters();
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params[0].first, "weight");
  EXPECT_EQ(params[0].second.shape(), (Shape{6, 4, 3, 3, 3}));
  EXPECT_EQ(params[1].first, "bias");
  EXPECT_EQ(params[1].second.shape(), (Shape{6}));
  const double bound = 1.0 / std::sqrt(4.0 * 27.0);
  for (const auto& [name, t] : params) {
    const auto v = t.to_host();
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    EXPECT_GE(*lo, -bound) << name;
    EXPECT_LE(*hi, bound) << name;
    EXPECT_GT(*hi - *lo, bound) << name << " does not spread over its range";
  }
  const Tensorf x = random_tensor<float>({1, 5, 4, 6, 4}, 8);
  const Tensorf y = conv.forward(x);
  EXPECT_EQ(y.shape(), (Shape{1, 3, 2, 3, 6}));
  expect_all_near(y.to_host(), conv3d(x, conv.weight, conv.bias, 2, 1).to_host(), 0.0);
  EXPECT_EQ(Conv3d<float>(4, 6, 1, 1, 0, false, rng).named_parameters().size(), 1u);
}

}  // namespace
}  // namespace pf::test
