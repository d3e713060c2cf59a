// The training losses of field tasks.
//
// `FieldLossKind::WholeFrames` is FactFormer-2D's reference loss: the relative L2 error of each
// sample over all its normalised values, averaged over the batch.
// `FieldLossKind::PerField` is FactFormer-3D's smoke loss (examples/threed_smokesim_fact_lm.py,
// loss_wrapper with loss_fn.rel_l2_loss), generalised from (density, velocity) to any fields:
// predictions and targets are denormalised, the prediction's wall samples zeroed
// (wall_velocity.hpp), and for every field
//   L_field = mean over samples b and the field's components c of
//             sqrt( Σ_{t, x} (ŷ − y)² / max(Σ_{t, x} y², 1e-5) )
// (the reference floors the target's sum of squares at 1e-5); the loss is Σ_field L_field, so for
// density + velocity it is rel-L2(density) + the mean of velocity's three component rel-L2s.
#pragma once

#include "data/field_reader.hpp"
#include "data/normalization.hpp"
#include "surrogate/wall_velocity.hpp"
#include "tensor/tensor.hpp"

#include <memory>
#include <vector>

namespace pf {

enum class FieldLossKind { WholeFrames, PerField };

// The reference's floor on a target's sum of squares.
inline constexpr double kRelL2Floor = 1e-5;

// The per-field sum above on values already in physical units: pred, target [B, T, S..., C]
// (target without gradient); `fields` partition the channels. Differentiable (a composition of
// ops); double for gradient checks.
template <class T>
Tensor<T> per_field_rel_l2(const Tensor<T>& pred, const Tensor<T>& target,
                           const std::vector<data::FieldGroup>& fields);

class FieldLoss {
 public:
  FieldLoss(FieldLossKind kind, const data::FieldFileInfo& info, const data::Normalization& norm,
            std::shared_ptr<const WallVelocity> walls);
  // predicted, target: normalised frames [B, T, S..., C]; returns the loss, shape [].
  Tensor<float> operator()(const Tensor<float>& predicted, const Tensor<float>& target) const;
  FieldLossKind kind() const { return kind_; }

 private:
  Tensor<float> denormalise(const Tensor<float>& frames) const;

  FieldLossKind kind_;
  std::vector<data::FieldGroup> fields_;
  std::shared_ptr<const WallVelocity> walls_;
  Tensor<float> std_, mean_;  // [C]
};

}  // namespace pf
