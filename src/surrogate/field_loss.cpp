#include "surrogate/field_loss.hpp"

#include "core/error.hpp"
#include "tensor/ops.hpp"

namespace pf {

template <class T>
Tensor<T> per_field_rel_l2(const Tensor<T>& pred, const Tensor<T>& target,
                           const std::vector<data::FieldGroup>& fields) {
  if (pred.shape() != target.shape() || pred.ndim() < 3)
    throw ShapeError("per_field_rel_l2: prediction " + to_string(pred.shape()) + " and target " +
                     to_string(target.shape()) + " must match as [B, T, S..., C]");
  std::vector<int> axes;  // time and space: everything but the sample and the channel
  for (int a = 1; a + 1 < int(pred.ndim()); ++a)
    axes.push_back(a);
  const Tensor<T> err = sum(square(sub(pred, target)), axes);  // [B, C]
  const Tensor<T> ref = sum(square(target), axes);             // [B, C]
  // max(ref, floor) as ref + relu(floor − ref): the reference's floor, from existing ops.
  const Tensor<T> floored = add(ref, relu(affine(ref, T(-1), T(kRelL2Floor))));
  const Tensor<T> ratio = sqrt(div(err, floored));
  Tensor<T> total;
  for (const data::FieldGroup& field : fields) {
    const Tensor<T> term =
        mean_all(slice(ratio, 1, field.first_channel, field.first_channel + field.components));
    total = total.defined() ? add(total, term) : term;
  }
  if (!total.defined()) throw ShapeError("per_field_rel_l2: expected at least one field");
  return total;
}

FieldLoss::FieldLoss(FieldLossKind kind, const data::FieldFileInfo& info,
                     const data::Normalization& norm, std::shared_ptr<const WallVelocity> walls)
    : kind_(kind), fields_(info.fields), walls_(std::move(walls)) {
  const Index c = norm.n_channels();
  std::vector<float> s(static_cast<size_t>(c)), m(static_cast<size_t>(c));
  for (size_t i = 0; i < size_t(c); ++i) {
    s[i] = float(norm.std[i]);
    m[i] = float(norm.mean[i]);
  }
  std_ = Tensor<float>::from_host({c}, s);
  mean_ = Tensor<float>::from_host({c}, m);
}

Tensor<float> FieldLoss::denormalise(const Tensor<float>& frames) const {
  return add(mul(frames, std_), mean_);
}

Tensor<float> FieldLoss::operator()(const Tensor<float>& predicted,
                                    const Tensor<float>& target) const {
  if (kind_ == FieldLossKind::WholeFrames) return rel_l2_loss(predicted, target);
  Tensor<float> pred = denormalise(predicted);
  if (walls_) pred = walls_->zero_physical(pred);
  return per_field_rel_l2(pred, denormalise(target.detach()), fields_);
}

#define PF_INSTANTIATE(T)                                                 \
  template Tensor<T> per_field_rel_l2(const Tensor<T>&, const Tensor<T>&, \
                                      const std::vector<data::FieldGroup>&);
PF_INSTANTIATE(float)
PF_INSTANTIATE(double)
#undef PF_INSTANTIATE

}  // namespace pf
