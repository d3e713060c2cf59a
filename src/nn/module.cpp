#include "nn/module.hpp"

namespace pf {

template <class T>
void Module<T>::collect(const std::string& prefix, NamedTensors<T>& params,
                        NamedTensors<T>& buffers, bool interleave, NamedTensors<T>* state) const {
  for (const auto& [name, t] : params_)
    params.emplace_back(prefix + name, t);
  for (const auto& [name, t] : buffers_)
    buffers.emplace_back(prefix + name, t);
  if (interleave) {  // torch's state_dict: a module's own params, its buffers, then children
    for (const auto& [name, t] : params_)
      state->emplace_back(prefix + name, t);
    for (const auto& [name, t] : buffers_)
      state->emplace_back(prefix + name, t);
  }
  for (const auto& [name, child] : children_)
    child->collect(prefix + name + ".", params, buffers, interleave, state);
}

template <class T>
NamedTensors<T> Module<T>::named_parameters() const {
  NamedTensors<T> params, buffers;
  collect("", params, buffers, false, nullptr);
  return params;
}

template <class T>
NamedTensors<T> Module<T>::named_buffers() const {
  NamedTensors<T> params, buffers;
  collect("", params, buffers, false, nullptr);
  return buffers;
}

template <class T>
NamedTensors<T> Module<T>::state_dict() const {
  NamedTensors<T> params, buffers, state;
  collect("", params, buffers, true, &state);
  return state;
}

template <class T>
Index Module<T>::parameter_count() const {
  Index n = 0;
  for (const auto& [name, t] : named_parameters())
    n += t.numel();
  return n;
}

template <class T>
void Module<T>::set_training(bool training) {
  training_ = training;
  for (auto& [name, child] : children_)
    child->set_training(training);
}

template <class T>
void Module<T>::zero_grad() {
  for (auto& [name, t] : named_parameters())
    t.zero_grad();
}

template <class T>
Tensor<T> Module<T>::register_parameter(const std::string& name, Tensor<T> tensor) {
  tensor.set_requires_grad(true);
  params_.emplace_back(name, tensor);
  return tensor;
}

template <class T>
Tensor<T> Module<T>::register_buffer(const std::string& name, Tensor<T> tensor) {
  buffers_.emplace_back(name, tensor);
  return tensor;
}

template class Module<float>;
template class Module<double>;

}  // namespace pf
