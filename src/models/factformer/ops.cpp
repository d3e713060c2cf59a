#include "models/factformer/ops.hpp"

#include "core/error.hpp"
#include "tensor/ops.hpp"

namespace pf::factformer {

template <class T>
Tensor<T> geglu(const Tensor<T>& x) {
  const Index c2 = x.dim(-1);
  if (c2 % 2 != 0) throw ShapeError("geglu: last axis " + std::to_string(c2) + " is odd");
  return mul(gelu(slice(x, -1, 0, c2 / 2)), slice(x, -1, c2 / 2, c2));
}

template <class T>
Tensor<T> rotary(const Tensor<T>& x, Index heads, const Tensor<T>& cos, const Tensor<T>& sin) {
  const Index b = x.dim(0), n = x.dim(1), dk = cos.dim(1);
  if (x.ndim() != 3 || x.dim(2) != heads * dk || cos.dim(0) != n || sin.shape() != cos.shape())
    throw ShapeError("rotary: x " + to_string(x.shape()) + ", cos " + to_string(cos.shape()) +
                     ", sin " + to_string(sin.shape()) + " for " + std::to_string(heads) +
                     " heads");
  const Tensor<T> xh = reshape(x, {b, n, heads, 2, dk / 2});
  const Tensor<T> rot = concat<T>({neg(slice(xh, 3, 1, 2)), slice(xh, 3, 0, 1)}, 3);
  const Tensor<T> c = reshape(cos, {n, 1, dk}), s = reshape(sin, {n, 1, dk});
  const Tensor<T> y =
      add(mul(reshape(x, {b, n, heads, dk}), c), mul(reshape(rot, {b, n, heads, dk}), s));
  return reshape(y, {b, n, heads * dk});
}

template <class T>
Tensor<T> axis_kernel(const Tensor<T>& q, const Tensor<T>& k, Index heads, T scale) {
  const Index b = q.dim(0), n = q.dim(1), dk = q.dim(2) / heads;
  const Tensor<T> qh = permute(reshape(q, {b, n, heads, dk}), {0, 2, 1, 3});
  const Tensor<T> kh = permute(reshape(k, {b, n, heads, dk}), {0, 2, 1, 3});
  const Tensor<T> kern = matmul(qh, kh, false, true);
  return scale == T(1) ? kern : pf::scale(kern, scale);
}

template <class T>
Tensor<T> axial_integral(const Tensor<T>& kx, const Tensor<T>& ky, const Tensor<T>& v) {
  const Index b = v.dim(0), nx = v.dim(1), ny = v.dim(2), h = kx.dim(1), dh = v.dim(3) / h;
  if (kx.shape() != Shape{b, h, nx, nx} || ky.shape() != Shape{b, h, ny, ny} || v.dim(3) != h * dh)
    throw ShapeError("axial_integral: kx " + to_string(kx.shape()) + ", ky " +
                     to_string(ky.shape()) + ", v " + to_string(v.shape()));
  // v → [b, h, x, (y c)]; contract x; → [b, h, y, (x c)]; contract y; → [b, x, y, (h c)]
  Tensor<T> w =
      reshape(permute(reshape(v, {b, nx, ny, h, dh}), {0, 3, 1, 2, 4}), {b, h, nx, ny * dh});
  w = matmul(kx, w);
  w = reshape(permute(reshape(w, {b, h, nx, ny, dh}), {0, 1, 3, 2, 4}), {b, h, ny, nx * dh});
  w = matmul(ky, w);
  w = permute(reshape(w, {b, h, ny, nx, dh}), {0, 3, 2, 1, 4});
  return reshape(w, {b, nx, ny, h * dh});
}

template <class T>
Tensor<T> domain_group_norm(const Tensor<T>& x, Index groups, T eps) {
  const Index b = x.dim(0), c = x.dim(-1);
  if (c % groups != 0)
    throw ShapeError("domain_group_norm: " + std::to_string(c) + " channels, " +
                     std::to_string(groups) + " groups");
  const Tensor<T> g = reshape(x, {b, -1, groups, c / groups});
  const Tensor<T> mu = mean(g, {1, 3}, true);
  const Tensor<T> var = pf::var(g, {1, 3}, true, true);
  const Tensor<T> y = div(sub(g, mu), sqrt(affine(var, T(1), eps)));
  return reshape(y, x.shape());
}

template <class T>
Tensor<T> pool_axis(const Tensor<T>& x, int keep_axis) {
  return mean(x, {keep_axis == 1 ? 2 : 1});
}

#define PF_INSTANTIATE(T)                                                                     \
  template Tensor<T> geglu<T>(const Tensor<T>&);                                              \
  template Tensor<T> rotary<T>(const Tensor<T>&, Index, const Tensor<T>&, const Tensor<T>&);  \
  template Tensor<T> axis_kernel<T>(const Tensor<T>&, const Tensor<T>&, Index, T);            \
  template Tensor<T> axial_integral<T>(const Tensor<T>&, const Tensor<T>&, const Tensor<T>&); \
  template Tensor<T> domain_group_norm<T>(const Tensor<T>&, Index, T);                        \
  template Tensor<T> pool_axis<T>(const Tensor<T>&, int);
PF_INSTANTIATE(float)
PF_INSTANTIATE(double)
#undef PF_INSTANTIATE

}  // namespace pf::factformer
