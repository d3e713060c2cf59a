// conv3d, instance_norm and upsample_nearest against PyTorch (tests/golden/make_conv3d_golden.py):
// fp32 forward and gradients of L = Σ g ⊙ op(x, ...) against torch's fp64 values.
#include "gradcheck.hpp"
#include "io/hdf5.hpp"
#include "tensor/ops_conv.hpp"

#include <string>

namespace pf::test {
namespace {

const std::string kGolden = std::string(PF_SOURCE_DIR) + "/tests/data/conv3d_golden.h5";

struct GoldenCase {
  h5::File file;
  std::string group;

  Tensorf input(const std::string& name, bool grad) const {
    const auto a = file.read<float>(group + "/" + name);
    Tensorf t = Tensorf::from_host(a.shape, a.values);
    if (grad) t.set_requires_grad(true);
    return t;
  }
  std::vector<double> values(const std::string& name) const {
    return file.read<double>(group + "/" + name).values;
  }
  bool has(const std::string& name) const { return file.exists(group + "/" + name); }
};

std::vector<double> grad_of(const Tensorf& t) {
  const auto v = Tensorf(t.grad(), t.shape()).to_host();
  return {v.begin(), v.end()};
}

std::vector<double> host(const Tensorf& t) {
  const auto v = t.to_host();
  return {v.begin(), v.end()};
}

// Runs op on the case's x (and parameters), back-propagates g, and compares. Tolerance relative
// to 1 + |value|: the fp32 sums here have at most 81 terms (conv taps × channels), 72 (weight
// gradient over output points) or 80 (instance statistics) of O(1) values. Measured: conv up to
// 3e-6 (weight gradient), instance norm and upsample below 1e-6; 1e-5 leaves a margin of 3.
constexpr double kTol = 1e-5;

template <class Op>
void check_case(const std::string& group, const Op& op) {
  SCOPED_TRACE(group);
  GoldenCase c{h5::File::open_read(kGolden), group};
  const Tensorf x = c.input("x", true);
  Tensorf w, b;
  if (c.has("weight")) w = c.input("weight", true);
  if (c.has("bias")) b = c.input("bias", true);
  const Tensorf y = op(c, x, w, b);
  sum_all(mul(y, c.input("grad_output", false))).backward();
  expect_all_near(host(y), c.values("output"), kTol, "output");
  expect_all_near(grad_of(x), c.values("grad_x"), kTol, "grad x");
  if (w.defined()) expect_all_near(grad_of(w), c.values("grad_weight"), kTol, "grad weight");
  if (b.defined()) expect_all_near(grad_of(b), c.values("grad_bias"), kTol, "grad bias");
}

TEST(Conv3dGolden, ConvolutionsMatchTorch) {
  for (const char* group : {"conv_stride2", "conv_same"})
    check_case(group,
               [](const GoldenCase& c, const Tensorf& x, const Tensorf& w, const Tensorf& b) {
                 return conv3d(x, w, b, c.file.int_attr(c.group, "stride"),
                               c.file.int_attr(c.group, "padding"));
               });
}

TEST(Conv3dGolden, InstanceNormMatchesTorch) {
  check_case("instance_norm",
             [](const GoldenCase& c, const Tensorf& x, const Tensorf&, const Tensorf&) {
               return instance_norm(x, float(c.file.double_attr(c.group, "eps")));
             });
}

TEST(Conv3dGolden, UpsampleMatchesTorch) {
  check_case("upsample", [](const GoldenCase& c, const Tensorf& x, const Tensorf&, const Tensorf&) {
    return upsample_nearest(x, c.file.int_attr(c.group, "factor"));
  });
}

}  // namespace
}  // namespace pf::test
