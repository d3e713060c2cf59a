#include "models/timeseries/pathformer_expert.hpp"

#include "models/timeseries/ts_ops.hpp"
#include "nn/init.hpp"

#include <cmath>
#include <string>

namespace pf::ts {

namespace {
std::shared_ptr<Linear<float>> make_linear(Index in, Index out, Rng& rng) {
  return std::make_shared<Linear<float>>(in, out, true, rng);
}
}  // namespace

PathformerExpert::WeightGenerator::WeightGenerator(Index d, Index n, bool fact, Rng& rng)
    : factorized(fact), channels(n) {
  // torch's kaiming_uniform(a=√5) on a 2-D tensor [r, c] is U(±1/√c).
  auto kaiming = [&](Index r, Index c) {
    return init::uniform<float>({r, c}, 1.0 / std::sqrt(double(c)), rng);
  };
  if (fact) {
    memory = register_parameter("memory", init::normal<float>({n, 16}, 0.0, 1.0, rng));
    const Index widths[] = {16, 64, 64, 100};
    for (int i = 0; i < 3; ++i)
      generator.push_back(register_module("generator." + std::to_string(2 * i),
                                          make_linear(widths[i], widths[i + 1], rng)));
    for (int i = 0; i < 2; ++i)
      P.push_back(register_parameter("P." + std::to_string(i), kaiming(d, 10)));
    for (int i = 0; i < 2; ++i)
      Q.push_back(register_parameter("Q." + std::to_string(i), kaiming(10, d)));
    for (int i = 0; i < 2; ++i)
      B.push_back(register_parameter("B." + std::to_string(i), kaiming(100, d)));
  } else {
    for (int i = 0; i < 2; ++i)
      P.push_back(register_parameter("P." + std::to_string(i), kaiming(d, d)));
    for (int i = 0; i < 2; ++i)
      B.push_back(register_parameter(
          "B." + std::to_string(i), init::uniform<float>({1, d}, 1.0 / std::sqrt(double(d)), rng)));
  }
}

void PathformerExpert::WeightGenerator::generate(std::vector<Tensor<float>>& weights,
                                                 std::vector<Tensor<float>>& biases) const {
  weights.clear();
  biases.clear();
  if (!factorized) {
    weights = P;
    biases = B;
    return;
  }
  Tensor<float> mem = memory;  // [N, 16] → [N, 100]
  for (size_t i = 0; i < generator.size(); ++i) {
    mem = generator[i]->forward(mem);
    if (i + 1 < generator.size()) mem = tanh(mem);
  }
  const Tensor<float> m = reshape(mem, {channels, 10, 10});
  for (int i = 0; i < 2; ++i) {
    const Index d = P[i].dim(0);
    // W_n = P · M_n · Q  [N, D, D]
    const Tensor<float> mq = matmul(m, Q[i]);  // [N, 10, D]
    weights.push_back(matmul(broadcast_to(P[i], {channels, d, 10}), mq));
    biases.push_back(matmul(mem, B[i]));  // [N, D]
  }
}

PathformerExpert::PathformerExpert(const PathformerConfig& c, Index p, Rng& rng)
    : cfg_(c), p_(p), patches_(c.shape.seq_len / p) {
  const Index d = c.d_model, n = c.shape.channels, L = c.shape.seq_len, dm = d * p;
  // torch.rand: U(0, 1)
  std::vector<float> u(patches_ * n * 16);
  for (auto& v : u)
    v = float(rng.uniform());
  intra_embeddings_ =
      register_parameter("intra_embeddings", Tensor<float>::from_host({patches_, 1, 1, n, 16}, u));
  for (Index i = 0; i < patches_; ++i)
    embeddings_generator_.push_back(register_module(
        "embeddings_generator." + std::to_string(i) + ".0", make_linear(16, d, rng)));
  distinct_ = register_module("weights_generator_distinct",
                              std::make_shared<WeightGenerator>(d, n, true, rng));
  shared_ = register_module("weights_generator_shared",
                            std::make_shared<WeightGenerator>(d, n, false, rng));
  intra_linear_ = register_module("intra_Linear", make_linear(patches_, L, rng));
  emb_linear_ = register_module("emb_linear", make_linear(dm, dm, rng));
  W_pos_ = register_parameter("W_pos", init::uniform<float>({patches_, dm}, 0.02, rng));
  W_Q_ = register_module("inter_patch_attention.W_Q", make_linear(dm, dm, rng));
  W_K_ = register_module("inter_patch_attention.W_K", make_linear(dm, dm, rng));
  W_V_ = register_module("inter_patch_attention.W_V", make_linear(dm, dm, rng));
  // Frozen in the reference; a buffer here so that weights load by name.
  register_buffer("inter_patch_attention.sdp_attn.scale",
                  Tensor<float>::scalar(float(1.0 / std::sqrt(double(p)))));
  to_out_ = register_module("inter_patch_attention.to_out.0", make_linear(dm, dm, rng));
  // Built by the reference whether or not batch_norm is on (so they are in its state_dict).
  norm_attn_ = register_module("norm_attn.1", std::make_shared<BatchNorm<float>>(d));
  norm_ffn_ = register_module("norm_ffn.1", std::make_shared<BatchNorm<float>>(d));
  ff0_ = register_module("ff.0", make_linear(d, c.d_ff, rng));
  ff3_ = register_module("ff.3", make_linear(c.d_ff, d, rng));
}

Tensor<float> PathformerExpert::drop(const Tensor<float>& x, double p, Rng& rng) const {
  return dropout(x, p, training(), rng);
}

Tensor<float> PathformerExpert::intra(const Tensor<float>& h) {
  const Index m = h.dim(0), L = h.dim(1), n = h.dim(2), d = h.dim(3);
  const Index P = patches_, p = p_, hs = d / 2;
  std::vector<Tensor<float>> wd, bd, ws, bs;
  distinct_->generate(wd, bd);
  shared_->generate(ws, bs);

  // The learned query of every patch: Linear_i(E_i), E_i [N, 16] → e [P, N, D].
  std::vector<Tensor<float>> gw, gb;
  for (const auto& g : embeddings_generator_) {
    gw.push_back(reshape(g->weight, {1, d, 16}));
    gb.push_back(reshape(g->bias, {1, 1, d}));
  }
  const Tensor<float> e = add(
      matmul(reshape(intra_embeddings_, {P, n, 16}), concat(gw, 0), false, true), concat(gb, 0));

  // Keys and values with each channel's own D×D weights: x_n · W_n + b_n.
  const Tensor<float> hf = reshape(h, {m * L, n, d}), ef = reshape(e, {P, n, d});
  auto project = [&](const Tensor<float>& x, int i) {
    return add(channel_linear(x, wd[i]), bd[i]);
  };
  // Heads as [rows, tokens, N·2 heads, hs], the layout head_scores/head_mix read in place.
  const Shape tok = {m * P, p, 2 * n, hs}, emb = {P, 1, 2 * n, hs};
  const Tensor<float> k_h = reshape(project(hf, 0), tok), v_h = reshape(project(hf, 1), tok);
  const Tensor<float> k_e = reshape(project(ef, 0), emb), v_e = reshape(project(ef, 1), emb);
  const Tensor<float> q = reshape(e, emb);  // the query is not projected
  const Tensor<float> qm = reshape(
      broadcast_to(reshape(q, {1, P, 1, 2 * n, hs}), {m, P, 1, 2 * n, hs}), {m * P, 1, 2 * n, hs});

  // Scores over the p + 1 tokens of each patch, its own embedding first: [M·P, 2N, 1, p+1].
  const float sc = float(1.0 / std::sqrt(double(hs)));
  const Tensor<float> s_e =
      broadcast_to(reshape(head_scores(q, k_e, sc), {1, P, 2 * n, 1, 1}), {m, P, 2 * n, 1, 1});
  const Tensor<float> s_h = reshape(head_scores(qm, k_h, sc), {m, P, 2 * n, 1, p});
  const Tensor<float> a = softmax(concat<float>({s_e, s_h}, 4), 4);  // [M, P, 2N, 1, p+1]
  const Tensor<float> a_e = reshape(slice(a, 4, 0, 1), {m, P, 2 * n, 1});
  const Tensor<float> a_h = reshape(slice(a, 4, 1, p + 1), {m * P, 2 * n, 1, p});
  // out = a_e · v_e + Σ_j a_j · v_j: [M, P, N·2, hs] = [M, P, N, D]
  Tensor<float> o = add(reshape(head_mix(a_h, v_h), {m, P, 2 * n, hs}),
                        mul(reshape(a_e, {m, P, 2 * n, 1}), reshape(v_e, {1, P, 2 * n, hs})));
  // Shared ReLU MLP x·P_i + B_i.
  o = linear(relu(linear(reshape(o, {m, P, n, d}), transpose(ws[0], 0, 1), reshape(bs[0], {d}))),
             transpose(ws[1], 0, 1), reshape(bs[1], {d}));
  // Patches → time steps: Linear(P → P·p) along the patch axis, as a batched product with the
  // weight on the left so the result lands in [M, L, N·D] without a permuted copy.
  o = matmul(broadcast_to(intra_linear_->weight, {m, L, P}), reshape(o, {m, P, n * d}));
  return reshape(add(o, reshape(intra_linear_->bias, {L, 1})), {m, L, n, d});
}

Tensor<float> PathformerExpert::inter(const Tensor<float>& h, Rng& rng) {
  const Index m = h.dim(0), L = h.dim(1), n = h.dim(2), d = h.dim(3);
  const Index P = patches_, p = p_, dm = d * p;
  // Patches as tokens of width D·p (feature index d·p + j), one sequence per (sample, channel).
  // The reference's token feature index is d·p + j; gathering the tokens as (j, d) keeps D
  // contiguous in the copy, and emb_linear's columns are reordered to match instead.
  const Tensor<float> u_jd =
      reshape(permute(reshape(h, {m, P, p, n, d}), {0, 3, 1, 2, 4}), {m * n, P, dm});
  const Tensor<float> w_jd =
      reshape(permute(reshape(emb_linear_->weight, {dm, d, p}), {0, 2, 1}), {dm, dm});
  Tensor<float> u = drop(add(linear(u_jd, w_jd, emb_linear_->bias), W_pos_), cfg_.dropout, rng);
  auto heads = [&](const Linear<float>& proj) {  // D heads of width p: [M·N, P, D, p], no copy
    return reshape(proj.forward(u), {m * n, P, d, p});
  };
  const Tensor<float> q = heads(*W_Q_), k = heads(*W_K_), v = heads(*W_V_);
  const Tensor<float> a = softmax(head_scores(q, k, float(1.0 / std::sqrt(double(p)))), -1);
  Tensor<float> y = reshape(head_mix(a, v), {m * n, P, dm});
  y = drop(to_out_->forward(y), cfg_.dropout, rng);  // [M·N, P, p·D] read as (j, d)
  if (cfg_.reference_inter_layout) return reshape(y, {m, L, n, d});
  return reshape(permute(reshape(y, {m, n, P, p, d}), {0, 2, 3, 1, 4}), {m, L, n, d});
}

Tensor<float> PathformerExpert::forward(const Tensor<float>& h, Rng& rng) {
  const Shape shape = h.shape();
  const Index d = cfg_.d_model, rows = numel(shape) / d;
  auto bn = [&](BatchNorm<float>& norm, const Tensor<float>& x) {
    return reshape(norm.forward(reshape(x, {rows, d})), shape);
  };
  Tensor<float> out = add(add(h, intra(h)), inter(h, rng));
  if (cfg_.batch_norm) out = bn(*norm_attn_, out);
  out = drop(out, cfg_.dropout, rng);
  const Tensor<float> f = ff3_->forward(drop(gelu(ff0_->forward(out)), cfg_.ffn_dropout, rng));
  out = add(f, out);
  if (cfg_.batch_norm) out = bn(*norm_ffn_, out);
  return out;
}

}  // namespace pf::ts
