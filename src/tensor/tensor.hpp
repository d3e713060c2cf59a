// Tensor: a contiguous row-major array in the default memory space with an optional link into
// the reverse-mode autodiff graph. Copies of a Tensor share storage (like torch.Tensor).
#pragma once

#include "core/types.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace pf {

template <class T>
struct Node;

// Gradient recording is on by default; NoGradGuard switches it off for its scope (inference,
// optimizer updates, rollouts without gradient).
bool grad_mode_enabled();
class NoGradGuard {
 public:
  NoGradGuard();
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

template <class T>
class Tensor {
 public:
  Tensor() = default;
  Tensor(Vec<T> data, Shape shape);

  static Tensor empty(const Shape& shape);  // uninitialised
  static Tensor zeros(const Shape& shape);
  static Tensor full(const Shape& shape, T value);
  static Tensor from_host(const Shape& shape, const std::vector<T>& values);
  static Tensor scalar(T value) { return full({}, value); }

  bool defined() const { return impl_ != nullptr; }
  const Shape& shape() const;
  int ndim() const { return static_cast<int>(shape().size()); }
  Index dim(int axis) const;  // negative axes count from the end
  Index numel() const;
  const Vec<T>& data() const;

  std::vector<T> to_host() const;
  T item() const;  // the value of a one-element tensor

  // Leaf tensors (parameters) may ask for a gradient; it accumulates over backward() calls.
  Tensor& set_requires_grad(bool requires);
  bool requires_grad() const;
  bool is_leaf() const;
  Vec<T> grad() const;     // empty View when no gradient has been accumulated
  Vec<T> grad_or_zeros();  // the gradient buffer, allocated as zeros if there is none yet
  void zero_grad();

  // Reverse-mode sweep from this one-element tensor; frees the graph behind it.
  void backward() const;

  Tensor detach() const;  // same storage, no graph
  Tensor clone() const;   // new storage, no graph

  const std::shared_ptr<Node<T>>& node() const;
  void set_node(std::shared_ptr<Node<T>> node);

 private:
  struct Impl {
    Vec<T> data;
    Shape shape;
    std::shared_ptr<Node<T>> node;
  };
  std::shared_ptr<Impl> impl_;
};

using Tensorf = Tensor<float>;
using Tensord = Tensor<double>;

// One vertex of the autodiff graph: the op that produced a tensor (or a leaf accumulator).
// `next[i]` is the node of input i, null where input i needs no gradient. The backward closure
// holds exactly what the op saved; both are released once the node has run.
template <class T>
struct Node {
  using Backward = std::function<void(const Vec<T>& grad_out, const std::vector<Vec<T>>& grad_in)>;

  const char* name = "leaf";
  Index out_numel = 0;
  std::vector<std::shared_ptr<Node<T>>> next;
  Backward backward;  // adds d(loss)/d(input_i) into grad_in[i]; empty for leaves
  Vec<T> grad;        // accumulated d(loss)/d(output)
  bool is_leaf = false;
  bool released = false;
};

// Records `out` as produced by op `name` from `inputs` if any input needs a gradient and
// recording is on; otherwise returns `out` untouched and `backward` (and what it captured) is
// dropped at once. grad_in[i] handed to the closure is empty where input i needs no gradient.
template <class T>
Tensor<T> record(const char* name, Tensor<T> out, const std::vector<const Tensor<T>*>& inputs,
                 typename Node<T>::Backward backward);

// True if recording is on and at least one of the tensors takes part in a graph.
template <class T>
bool any_requires_grad(const std::vector<const Tensor<T>*>& inputs);

}  // namespace pf
