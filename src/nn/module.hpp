// Module: a named tree of parameters and buffers, named like PyTorch's state_dict
// ("blocks.0.attn.to_q.weight") so reference weights load by name.
#pragma once

#include "tensor/tensor.hpp"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace pf {

template <class T>
using NamedTensors = std::vector<std::pair<std::string, Tensor<T>>>;

template <class T>
class Module {
 public:
  virtual ~Module() = default;
  Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  NamedTensors<T> named_parameters() const;  // trainable, registration order, depth first
  NamedTensors<T> named_buffers() const;     // running statistics, frozen tensors
  NamedTensors<T> state_dict() const;  // parameters then buffers, as torch orders them per module
  Index parameter_count() const;

  void set_training(bool training);  // this module and every child
  bool training() const { return training_; }
  void zero_grad();

 protected:
  Tensor<T> register_parameter(const std::string& name, Tensor<T> tensor);
  Tensor<T> register_buffer(const std::string& name, Tensor<T> tensor);
  template <class M>
  std::shared_ptr<M> register_module(const std::string& name, std::shared_ptr<M> module) {
    children_.emplace_back(name, module);
    return module;
  }

 private:
  void collect(const std::string& prefix, NamedTensors<T>& params, NamedTensors<T>& buffers,
               bool interleave, NamedTensors<T>* state) const;

  NamedTensors<T> params_, buffers_;
  std::vector<std::pair<std::string, std::shared_ptr<Module<T>>>> children_;
  bool training_ = true;
};

}  // namespace pf
