// Data parallelism: averaging gradients over ranks, each holding its slice of the global batch,
// must reproduce the single-process gradient of the whole batch. Runs under any rank count.
#include "core/rng.hpp"
#include "nn/layers.hpp"
#include "parallel/comm.hpp"
#include "train/batch_sampler.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace pf {
namespace {

// Full-batch gradient of a fixed MLP on fixed data, computed on this rank alone.
template <class T>
std::vector<std::vector<T>> gradients(Mlp<T>& model, const Tensor<T>& x, const Tensor<T>& y) {
  model.zero_grad();
  mse_loss(model.forward(x), y).backward();
  std::vector<std::vector<T>> out;
  for (auto& [name, p] : model.named_parameters())
    out.push_back(Tensor<T>(p.grad(), p.shape()).to_host());
  return out;
}

template <class T>
void check_ranks_match_one_process(double tol) {
  const Comm comm = Comm::world();
  const Index batch = 8 * comm.size();
  Rng data_rng(3);
  std::vector<T> xs(batch * 3), ys(batch * 2);
  for (auto& v : xs)
    v = T(data_rng.uniform(-1, 1));
  for (auto& v : ys)
    v = T(data_rng.uniform(-1, 1));
  const Tensor<T> x = Tensor<T>::from_host({batch, 3}, xs),
                  y = Tensor<T>::from_host({batch, 2}, ys);

  Rng init(11);
  Mlp<T> model({3, 16, 2}, Activation::Gelu, init);
  const auto reference = gradients(model, x, y);

  // This rank's contiguous share of the batch, then the allreduce average.
  const Index local = batch / comm.size(), first = comm.rank() * local;
  const auto mine = [&](const Tensor<T>& t) { return slice(t, 0, first, first + local); };
  model.zero_grad();
  mse_loss(model.forward(mine(x)), mine(y)).backward();
  average_gradients(model.named_parameters(), comm);

  size_t k = 0;
  for (auto& [name, p] : model.named_parameters()) {
    const auto got = Tensor<T>(p.grad(), p.shape()).to_host();
    for (size_t i = 0; i < got.size(); ++i)
      ASSERT_NEAR(got[i], reference[k][i], tol * (1 + std::abs(reference[k][i])))
          << name << "[" << i << "] on rank " << comm.rank() << " of " << comm.size();
    ++k;
  }
}

// fp64: only the summation order differs, so agreement to ~1e-14 relative is expected.
TEST(DataParallel, AveragedGradientsEqualFullBatchFp64) {
  check_ranks_match_one_process<double>(1e-12);
}
// fp32: the same with float rounding of the partial sums (batch 8 per rank: a few ulps).
TEST(DataParallel, AveragedGradientsEqualFullBatchFp32) {
  check_ranks_match_one_process<float>(1e-5);
}

TEST(DataParallel, RanksSplitEachGlobalBatchWithoutOverlap) {
  // Each rank's share is its own contiguous block of the batch a single process would draw.
  const Comm comm = Comm::world();
  BatchSampler mine(100, 4 * comm.size(), comm.rank(), comm.size(), 5);
  BatchSampler whole(100, 4 * comm.size(), 0, 1, 5);
  for (std::int64_t step = 0; step < 30; ++step) {
    const auto local = mine.local_batch(step), all = whole.local_batch(step);
    ASSERT_EQ(Index(local.size()), 4);
    for (size_t i = 0; i < local.size(); ++i)
      ASSERT_EQ(local[i], all[comm.rank() * 4 + i]);
  }
}

TEST(DataParallel, CollectivesAgree) {
  const Comm comm = Comm::world();
  EXPECT_DOUBLE_EQ(comm.allreduce_sum(1.0), double(comm.size()));
  EXPECT_DOUBLE_EQ(comm.allreduce_max(double(comm.rank())), double(comm.size() - 1));
  EXPECT_EQ(comm.broadcast(comm.is_root() ? std::string("from root") : std::string("x")),
            "from root");
}

}  // namespace
}  // namespace pf
