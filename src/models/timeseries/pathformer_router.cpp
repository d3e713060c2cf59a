#include "models/timeseries/pathformer_router.hpp"

#include "models/timeseries/ts_ops.hpp"

#include <cmath>
#include <string>

namespace pf::ts {

namespace {
constexpr Index kSeasonalFrequencies = 3;
constexpr Index kTrendKernels[] = {4, 8, 12};

// Column block j of [L, 3L] holds the moving average with kernel k_j over the replicate-padded
// series (⌈(k−1)/2⌉ copies of the first value in front, ⌊(k−1)/2⌋ of the last at the end), so
// z [.., L] · M gives the three trends side by side.
Tensor<float> trend_matrix(Index L) {
  std::vector<float> m(L * 3 * L, 0.0f);
  for (int j = 0; j < 3; ++j) {
    const Index k = kTrendKernels[j], front = k - 1 - (k - 1) / 2;
    for (Index t = 0; t < L; ++t)
      for (Index w = 0; w < k; ++w) {
        const Index s = std::min(std::max(t + w - front, Index(0)), L - 1);
        m[s * 3 * L + j * L + t] += 1.0f / float(k);
      }
  }
  return Tensor<float>::from_host({L, 3 * L}, m);
}

// Bins 1..F of the rfft (bin 0 and, for even L, the Nyquist bin dropped): columns f−1 hold
// cos(2πft/L) (real part), columns F+f−1 hold −sin(2πft/L) (imaginary part).
Index frequency_count(Index L) {
  return L % 2 == 0 ? L / 2 - 1 : (L - 1) / 2;
}

void dft_matrices(Index L, Tensor<float>& dft, Tensor<float>& idft) {
  const Index F = frequency_count(L);
  std::vector<float> fwd(L * 2 * F), inv(2 * F * L);
  for (Index t = 0; t < L; ++t)
    for (Index f = 1; f <= F; ++f) {
      const double w = 2 * M_PI * double(f * t % L) / double(L);
      fwd[t * 2 * F + f - 1] = float(std::cos(w));
      fwd[t * 2 * F + F + f - 1] = float(-std::sin(w));
      // s(t) = (2/L) Σ_f (Re X_f cos ωt − Im X_f sin ωt)
      inv[(f - 1) * L + t] = float(2.0 / double(L) * std::cos(w));
      inv[(F + f - 1) * L + t] = float(-2.0 / double(L) * std::sin(w));
    }
  dft = Tensor<float>::from_host({L, 2 * F}, fwd);
  idft = Tensor<float>::from_host({2 * F, L}, inv);
}

// cv² = var (unbiased) / (mean² + 1e-10) of a [E] tensor; 0 for a single expert.
Tensor<float> cv_squared(const Tensor<float>& x) {
  if (x.numel() == 1) return Tensor<float>::scalar(0.0f);
  const Tensor<float> m = mean_all(x);
  return div(var(x, {0}, true), affine(square(m), 1.0f, 1e-10f));
}
}  // namespace

PathformerLayer::PathformerLayer(const PathformerConfig& c, const std::vector<Index>& sizes,
                                 Rng& rng)
    : cfg_(c), experts_(Index(sizes.size())) {
  const Index L = c.shape.seq_len;
  start_linear_ = register_module("start_linear",
                                  std::make_shared<Linear<float>>(c.shape.channels, 1, true, rng));
  trend_layer_ =
      register_module("trend_model.layer", std::make_shared<Linear<float>>(1, 3, true, rng));
  for (size_t e = 0; e < sizes.size(); ++e)
    experts_list_.push_back(register_module("experts." + std::to_string(e),
                                            std::make_shared<PathformerExpert>(c, sizes[e], rng)));
  w_noise_ = register_module("w_noise", std::make_shared<Linear<float>>(L, experts_, true, rng));
  w_gate_ = register_module("w_gate", std::make_shared<Linear<float>>(L, experts_, true, rng));
  // The reference builds end_MLP (a 1×1 Conv2d L→L) and never calls it; it is registered only so
  // that state_dicts and parameter counts match the reference's.
  register_module("end_MLP.fc", std::make_shared<PointwiseConv<float>>(L, L, 2, 1, true, rng));
  register_buffer("mean", Tensor<float>::full({1}, 0.0f));
  register_buffer("std", Tensor<float>::full({1}, 1.0f));
  trend_matrix_ = trend_matrix(L);
  dft_matrices(L, dft_, idft_);
}

Tensor<float> PathformerLayer::router_input(const Tensor<float>& h) const {
  const Index b = h.dim(0), L = h.dim(1), n = h.dim(2), F = frequency_count(L);
  // Only embedding channel 0 feeds the router, as [B, N, L] series.
  const Tensor<float> z = permute(reshape(slice(h, 3, 0, 1), {b, L, n}), {0, 2, 1});

  // Seasonality: the 3 strongest frequencies of each series, rebuilt in time. The selection is
  // a constant mask; the gradient flows through the kept DFT coefficients.
  const Tensor<float> X = matmul(z, dft_);  // [B, N, 2F]
  const std::vector<float> xh = X.to_host();
  std::vector<float> power(b * n * F), mask(b * n * 2 * F, 0.0f);
  for (Index r = 0; r < b * n; ++r)
    for (Index f = 0; f < F; ++f) {
      const float re = xh[r * 2 * F + f], im = xh[r * 2 * F + F + f];
      power[r * F + f] = re * re + im * im;
    }
  const std::vector<Index> top = topk_rows(power, b * n, F, kSeasonalFrequencies);
  for (Index r = 0; r < b * n; ++r)
    for (Index j = 0; j < kSeasonalFrequencies; ++j) {
      const Index f = top[r * kSeasonalFrequencies + j];
      mask[r * 2 * F + f] = mask[r * 2 * F + F + f] = 1.0f;
    }
  const Tensor<float> season =
      matmul(mul(X, Tensor<float>::from_host({b, n, 2 * F}, mask)), idft_);  // [B, N, L]

  // Trend: moving averages with kernels 4, 8, 12 mixed by a per-value softmax.
  const Tensor<float> mas = reshape(matmul(z, trend_matrix_), {b, n, 3, L});
  const Tensor<float> w =
      permute(softmax(trend_layer_->forward(reshape(z, {b, n, L, 1})), -1), {0, 1, 3, 2});
  const Tensor<float> trend = sum(mul(mas, w), {2});

  const Tensor<float> zs = add(add(z, season), trend);
  // Linear(N → 1) collapses the channels: one routing decision per sample.
  return reshape(start_linear_->forward(permute(zs, {0, 2, 1})), {b, L});
}

PathformerLayer::Gating PathformerLayer::gating(const Tensor<float>& h, Rng& rng,
                                                const Tensor<float>& noise) const {
  const Index b = h.dim(0), E = experts_, k = cfg_.k, kk = std::min(k + 1, E);
  const Tensor<float> x = router_input(h);
  const Tensor<float> clean = w_gate_->forward(x);  // [B, E]
  const bool train = training();
  Tensor<float> logits = clean, stddev;
  if (train) {
    stddev = affine(softplus(w_noise_->forward(x)), 1.0f, 1e-2f);
    Tensor<float> eps = noise;
    if (!eps.defined()) {
      std::vector<float> draws(b * E);
      for (auto& v : draws)
        v = float(rng.normal());
      eps = Tensor<float>::from_host({b, E}, draws);
    }
    logits = add(clean, mul(eps, stddev));
  }
  const std::vector<float> lh = logits.to_host();
  const std::vector<Index> top = topk_rows(lh, b, E, kk);
  auto flat_index = [&](Index j) {  // positions b·E + top[b][j] in the flattened logits
    std::vector<Index> idx(b);
    for (Index r = 0; r < b; ++r)
      idx[r] = r * E + top[r * kk + j];
    return make_index(idx);
  };
  std::vector<Index> chosen(b * k);
  for (Index r = 0; r < b; ++r)
    for (Index j = 0; j < k; ++j)
      chosen[r * k + j] = r * E + top[r * kk + j];
  const IndexVec chosen_idx = make_index(chosen);
  const Tensor<float> flat = reshape(logits, {b * E});
  const Tensor<float> top_gates = softmax(reshape(gather(flat, 0, chosen_idx), {b, k}), -1);
  Gating g;
  g.gates = reshape(scatter_add(reshape(top_gates, {b * k}), 0, chosen_idx, b * E), {b, E});
  g.host = g.gates.to_host();

  if (train && k < E) {
    // Shazeer's probability of staying in the top k under resampled noise: the threshold is the
    // (k+1)-th logit for an expert that is in, the k-th for one that is out.
    const Tensor<float> thr_in = reshape(gather(flat, 0, flat_index(k)), {b, 1});
    const Tensor<float> thr_out = reshape(gather(flat, 0, flat_index(k - 1)), {b, 1});
    const std::vector<float> thr_h = thr_in.to_host();
    std::vector<float> in(b * E), out(b * E);
    for (Index r = 0; r < b; ++r)
      for (Index e = 0; e < E; ++e) {
        in[r * E + e] = lh[r * E + e] > thr_h[r] ? 1.0f : 0.0f;
        out[r * E + e] = 1.0f - in[r * E + e];
      }
    const Tensor<float> p_in = normal_cdf(div(sub(clean, thr_in), stddev));
    const Tensor<float> p_out = normal_cdf(div(sub(clean, thr_out), stddev));
    const Tensor<float> prob = add(mul(p_in, Tensor<float>::from_host({b, E}, in)),
                                   mul(p_out, Tensor<float>::from_host({b, E}, out)));
    g.load = sum(prob, {0});
  } else {
    std::vector<float> count(E, 0.0f);
    for (Index r = 0; r < b; ++r)
      for (Index e = 0; e < E; ++e)
        count[e] += g.host[r * E + e] > 0 ? 1.0f : 0.0f;
    g.load = Tensor<float>::from_host({E}, count);
  }
  return g;
}

PathformerLayer::Result PathformerLayer::forward(const Tensor<float>& h, Rng& rng,
                                                 const Tensor<float>& noise) {
  const Index b = h.dim(0), E = experts_;
  const Gating g = gating(h, rng, noise);
  Result r;
  r.balance_loss =
      scale(add(cv_squared(sum(g.gates, {0})), cv_squared(g.load)), float(cfg_.balance_loss_coef));

  // Each expert runs on the samples that chose it; the gate-weighted outputs of all experts are
  // added back at their samples' rows with one scatter (the reference's index_add).
  const Tensor<float> flat_gates = reshape(g.gates, {b * E});
  std::vector<Tensor<float>> parts;
  std::vector<Index> all_rows;
  for (Index e = 0; e < E; ++e) {
    std::vector<Index> rows, gate_pos;
    for (Index i = 0; i < b; ++i)
      if (g.host[i * E + e] > 0) {
        rows.push_back(i);
        gate_pos.push_back(i * E + e);
      }
    if (rows.empty()) continue;
    const Index m = Index(rows.size());
    const Tensor<float> gate = reshape(gather(flat_gates, 0, make_index(gate_pos)), {m, 1, 1, 1});
    Tensor<float> y = experts_list_[e]->forward(m == b ? h : gather(h, 0, make_index(rows)), rng);
    if (cfg_.reference_combine) y = exp(y);
    parts.push_back(mul(y, gate));
    all_rows.insert(all_rows.end(), rows.begin(), rows.end());
  }
  Tensor<float> acc = parts.size() == 1 && Index(all_rows.size()) == b
                          ? parts[0]
                          : scatter_add(concat(parts, 0), 0, make_index(all_rows), b);
  // The reference's SparseDispatcher.combine: log Σ g·exp(y) (its zero → eps guard only acts
  // when every exp underflows, which the log below turns into −inf instead).
  if (cfg_.reference_combine) acc = log(acc);
  r.out = cfg_.residual_connection ? add(acc, h) : acc;
  return r;
}

}  // namespace pf::ts
