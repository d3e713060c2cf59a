// What train, predict and evaluate need from a field model, whatever its layout: a window of
// normalised frames in the dataset's layout in, predicted frames in the same layout out. Each
// adapter turns the window into its model's input.
#pragma once

#include "models/factformer/factformer2d.hpp"
#include "models/factformer/factformer3d.hpp"
#include "nn/module.hpp"
#include "tensor/tensor.hpp"

#include <memory>

namespace pf {

class FieldModel {
 public:
  virtual ~FieldModel() = default;
  // window [B, in_steps, S..., C] -> [B, latent_steps, S..., C]; S the task's spatial axes.
  virtual Tensor<float> forward(const Tensor<float>& window, Index latent_steps) = 0;
  // The weights, with the reference's state_dict names (optimizer, checkpoints).
  virtual Module<float>& module() = 0;
};

// FactFormer-2D reads the window as time-major channels (frames_to_channels).
class FactFormer2DField final : public FieldModel {
 public:
  explicit FactFormer2DField(std::shared_ptr<FactFormer2D> model) : model_(std::move(model)) {}
  Tensor<float> forward(const Tensor<float>& window, Index latent_steps) override;
  Module<float>& module() override { return *model_; }

 private:
  std::shared_ptr<FactFormer2D> model_;
};

// FactFormer-3D reads the window as it is ([B, in_steps, X, Y, Z, fields]).
class FactFormer3DField final : public FieldModel {
 public:
  explicit FactFormer3DField(std::shared_ptr<FactFormer3D> model) : model_(std::move(model)) {}
  Tensor<float> forward(const Tensor<float>& window, Index latent_steps) override {
    return model_->forward(window, latent_steps);
  }
  Module<float>& module() override { return *model_; }

 private:
  std::shared_ptr<FactFormer3D> model_;
};

// frames [B, T, X, Y, C] -> [B, X, Y, T·C], channel index t·C + c (the reference stacks its
// input window this way).
Tensor<float> frames_to_channels(const Tensor<float>& frames);

}  // namespace pf
