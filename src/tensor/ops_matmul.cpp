// GEMM-shaped ops: matmul, linear and pointwise (grouped) convolution. All products go through
// kern::gemm, the single BLAS entry point.
#include "kernels/bias.hpp"
#include "kernels/gemm.hpp"
#include "kernels/reduce.hpp"
#include "tensor/detail/shape_util.hpp"
#include "tensor/ops.hpp"

namespace pf {

namespace {

// gradient of a per-channel bias: gb[c] += Σ_{o,i} g[o, c, i]
template <class T>
void bias_backward(const Vec<T>& g, const Vec<T>& gb, Index outer, Index C, Index inner) {
  if (inner == 1) {
    // A column sum of a row-major [outer, C] walks columns with stride C, one cache line per
    // element: as the product ones[1, outer] · g it streams rows (and uses the BLAS threads).
    Vec<T> ones(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::linear::ones"), outer);
    Kokkos::deep_copy(ones, T(1));
    kern::gemm<T>({false, false, 1, C, outer}, T(1), ones.data(), g.data(), T(1), gb.data());
    return;
  }
  const Index dims[3] = {outer, C, inner};
  const bool reduce[3] = {true, false, true};
  kern::sum_reduce<T>(g, gb, kern::make_reduce_plan(3, dims, reduce), T(1), true);
}

template <class T>
void gemm(const kern::GemmShape& s, const Vec<T>& a, const Vec<T>& b, T beta, const Vec<T>& c) {
  kern::gemm<T>(s, T(1), a.data(), b.data(), beta, c.data());
}

}  // namespace

template <class T>
Tensor<T> matmul(const Tensor<T>& a, const Tensor<T>& b, bool trans_a, bool trans_b) {
  if (a.ndim() < 2 || b.ndim() < 2)
    throw ShapeError("matmul: operands need 2+ dims, got " + to_string(a.shape()) + " and " +
                     to_string(b.shape()));
  const Index M = trans_a ? a.dim(-1) : a.dim(-2), K = trans_a ? a.dim(-2) : a.dim(-1);
  const Index Kb = trans_b ? b.dim(-1) : b.dim(-2), N = trans_b ? b.dim(-2) : b.dim(-1);
  const Shape batch_a(a.shape().begin(), a.shape().end() - 2);
  const Shape batch_b(b.shape().begin(), b.shape().end() - 2);
  const bool shared_b = batch_b.empty();
  if (K != Kb || (!shared_b && batch_a != batch_b))
    throw ShapeError("matmul: " + to_string(a.shape()) + (trans_a ? "ᵀ" : "") + " × " +
                     to_string(b.shape()) + (trans_b ? "ᵀ" : "") +
                     " do not fit (inner sizes or batch dims differ)");
  const Index batch = numel(batch_a);
  Shape out_shape = batch_a;
  out_shape.push_back(M);
  out_shape.push_back(N);
  Tensor<T> out = Tensor<T>::empty(out_shape);

  // With a shared right operand and untransposed A, the batch folds into M: one big GEMM.
  const bool fold = shared_b && !trans_a;
  kern::GemmShape s{
      trans_a, trans_b,         fold ? M * batch : M, N, K, M * K, shared_b ? 0 : K * N,
      M * N,   fold ? 1 : batch};
  gemm<T>(s, a.data(), b.data(), T(0), out.data());

  if (!any_requires_grad<T>({&a, &b})) return out;
  const bool need_a = a.requires_grad(), need_b = b.requires_grad();
  const Vec<T> va = need_b ? a.data() : Vec<T>();  // dB reads A, dA reads B
  const Vec<T> vb = need_a ? b.data() : Vec<T>();
  return record<T>("matmul", out, {&a, &b}, [=](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
    if (gin[0].extent(0)) {
      kern::GemmShape d;
      if (!trans_a)  // dA[M,K] += g[M,N] op(B)ᵀ
        d = {false, !trans_b,        fold ? M * batch : M, K, N, M * N, shared_b ? 0 : K * N,
             M * K, fold ? 1 : batch};
      else  // dA[K,M] += op(B) gᵀ
        d = {trans_b, true, K, M, N, shared_b ? 0 : K * N, M * N, M * K, batch};
      if (!trans_a)
        gemm<T>(d, g, vb, T(1), gin[0]);
      else
        gemm<T>(d, vb, g, T(1), gin[0]);
    }
    if (gin[1].extent(0)) {
      // A shared B sums over the batch: stride 0 on the output with β = 1 accumulates.
      const Index sc = shared_b ? 0 : K * N;
      kern::GemmShape d;
      if (!trans_b) {  // dB[K,N] += op(A)ᵀ g
        d = {!trans_a, false, K, N, fold ? M * batch : M, M * K, M * N, sc, fold ? 1 : batch};
        gemm<T>(d, va, g, T(1), gin[1]);
      } else {  // dB[N,K] += gᵀ op(A)
        d = {true, trans_a, N, K, fold ? M * batch : M, M * N, M * K, sc, fold ? 1 : batch};
        gemm<T>(d, g, va, T(1), gin[1]);
      }
    }
  });
}

template <class T>
Tensor<T> linear(const Tensor<T>& x, const Tensor<T>& weight, const Tensor<T>& bias) {
  if (weight.ndim() != 2 || x.ndim() < 1 || x.dim(-1) != weight.dim(1) ||
      (bias.defined() && (bias.ndim() != 1 || bias.dim(0) != weight.dim(0))))
    throw ShapeError("linear: input " + to_string(x.shape()) + ", weight " +
                     to_string(weight.shape()) + ", bias " + to_string(bias.shape()) +
                     " do not fit (expected [..., in], [out, in], [out])");
  const Index in = weight.dim(1), out_f = weight.dim(0),
              M = detail::span(x.shape(), 0, x.ndim() - 1);
  Shape out_shape = x.shape();
  out_shape.back() = out_f;
  Tensor<T> out = Tensor<T>::empty(out_shape);
  gemm<T>({false, true, M, out_f, in, 0, 0, 0, 1}, x.data(), weight.data(), T(0), out.data());
  if (bias.defined()) kern::add_channel_bias<T>(out.data(), bias.data(), M, out_f, 1);
  if (!any_requires_grad<T>({&x, &weight, &bias})) return out;
  const Vec<T> vx = weight.requires_grad() ? x.data() : Vec<T>();
  const Vec<T> vw = x.requires_grad() ? weight.data() : Vec<T>();
  return record<T>("linear", out, {&x, &weight, &bias},
                   [=](const Vec<T>& g, const std::vector<Vec<T>>& gin) {
                     if (gin[0].extent(0))  // dx[M,in] += g[M,out] W[out,in]
                       gemm<T>({false, false, M, in, out_f, 0, 0, 0, 1}, g, vw, T(1), gin[0]);
                     if (gin[1].extent(0))  // dW[out,in] += gᵀ x
                       gemm<T>({true, false, out_f, in, M, 0, 0, 0, 1}, g, vx, T(1), gin[1]);
                     if (gin[2].extent(0)) bias_backward<T>(g, gin[2], M, out_f, 1);
                   });
}

template <class T>
Tensor<T> conv1x1(const Tensor<T>& x, const Tensor<T>& weight, const Tensor<T>& bias,
                  Index groups) {
  const Index Cout = weight.ndim() >= 2 ? weight.dim(0) : -1;
  const Index ci = weight.ndim() >= 2 ? weight.dim(1) : -1;
  bool ok = x.ndim() >= 2 && weight.ndim() >= 2 && groups >= 1 && Cout % groups == 0 &&
            x.dim(1) == ci * groups && (!bias.defined() || bias.numel() == Cout);
  for (int d = 2; ok && d < weight.ndim(); ++d)
    ok = weight.dim(d) == 1;
  if (!ok)
    throw ShapeError(
        "conv1x1: input " + to_string(x.shape()) + ", weight " + to_string(weight.shape()) +
        ", groups " + std::to_string(groups) +
        " do not fit (expected [N, Cin, ...], [Cout, Cin/groups, 1...], Cout % groups == 0)");
  const Index N = x.dim(0), Cin = x.dim(1), S = detail::span(x.shape(), 2, x.ndim()),
              co = Cout / groups;
  Shape out_shape = x.shape();
  out_shape[1] = Cout;
  Tensor<T> out = Tensor<T>::empty(out_shape);
  const Vec<T> vx = x.data(), vw = weight.data(), vy = out.data();
  for (Index g = 0; g < groups; ++g) {
    // y[n, g] (co×S) = W_g (co×ci) · x[n, g] (ci×S), batched over n
    kern::gemm<T>({false, false, co, S, ci, 0, Cin * S, Cout * S, N}, T(1), vw.data() + g * co * ci,
                  vx.data() + g * ci * S, T(0), vy.data() + g * co * S);
  }
  if (bias.defined()) kern::add_channel_bias<T>(vy, bias.data(), N, Cout, S);
  if (!any_requires_grad<T>({&x, &weight, &bias})) return out;
  const Vec<T> sx = weight.requires_grad() ? vx : Vec<T>();
  const Vec<T> sw = x.requires_grad() ? vw : Vec<T>();
  return record<T>("conv1x1", out, {&x, &weight, &bias},
                   [=](const Vec<T>& gy, const std::vector<Vec<T>>& gin) {
                     for (Index g = 0; g < groups; ++g) {
                       if (gin[0].extent(0))  // dx[n,g] += W_gᵀ gy[n,g]
                         kern::gemm<T>({true, false, ci, S, co, 0, Cout * S, Cin * S, N}, T(1),
                                       sw.data() + g * co * ci, gy.data() + g * co * S, T(1),
                                       gin[0].data() + g * ci * S);
                       if (gin[1].extent(0))  // dW_g += Σ_n gy[n,g] x[n,g]ᵀ
                         kern::gemm<T>({false, true, co, ci, S, Cout * S, Cin * S, 0, N}, T(1),
                                       gy.data() + g * co * S, sx.data() + g * ci * S, T(1),
                                       gin[1].data() + g * co * ci);
                     }
                     if (gin[2].extent(0)) bias_backward<T>(gy, gin[2], N, Cout, S);
                   });
}

#define PF_INSTANTIATE(T)                                                          \
  template Tensor<T> matmul(const Tensor<T>&, const Tensor<T>&, bool, bool);       \
  template Tensor<T> linear(const Tensor<T>&, const Tensor<T>&, const Tensor<T>&); \
  template Tensor<T> conv1x1(const Tensor<T>&, const Tensor<T>&, const Tensor<T>&, Index);
PF_INSTANTIATE(float)
PF_INSTANTIATE(double)
#undef PF_INSTANTIATE

}  // namespace pf
