#include "tensor/tensor.hpp"

#include "core/error.hpp"
#include "kernels/strided.hpp"

#include <unordered_map>
#include <unordered_set>

namespace pf {

namespace {
thread_local bool g_grad_mode = true;
}

bool grad_mode_enabled() {
  return g_grad_mode;
}
NoGradGuard::NoGradGuard() : previous_(g_grad_mode) {
  g_grad_mode = false;
}
NoGradGuard::~NoGradGuard() {
  g_grad_mode = previous_;
}

namespace {
Index checked_numel(const Shape& shape) {
  for (Index d : shape)
    if (d < 0) throw ShapeError("Tensor: negative dimension in shape " + to_string(shape));
  return pf::numel(shape);
}
}  // namespace

template <class T>
Tensor<T>::Tensor(Vec<T> data, Shape shape) : impl_(std::make_shared<Impl>()) {
  if (static_cast<Index>(data.extent(0)) != checked_numel(shape))
    throw ShapeError("Tensor: storage holds " + std::to_string(data.extent(0)) +
                     " values but shape " + to_string(shape) + " needs " +
                     std::to_string(pf::numel(shape)));
  impl_->data = std::move(data);
  impl_->shape = std::move(shape);
}

template <class T>
Tensor<T> Tensor<T>::empty(const Shape& shape) {
  return Tensor(
      Vec<T>(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pf::tensor"), checked_numel(shape)),
      shape);
}

template <class T>
Tensor<T> Tensor<T>::zeros(const Shape& shape) {
  return Tensor(Vec<T>("pf::tensor", checked_numel(shape)), shape);
}

template <class T>
Tensor<T> Tensor<T>::full(const Shape& shape, T value) {
  Tensor t = empty(shape);
  Kokkos::deep_copy(t.impl_->data, value);
  return t;
}

template <class T>
Tensor<T> Tensor<T>::from_host(const Shape& shape, const std::vector<T>& values) {
  if (static_cast<Index>(values.size()) != pf::numel(shape))
    throw ShapeError("Tensor::from_host: " + std::to_string(values.size()) +
                     " values given for shape " + to_string(shape));
  Tensor t = empty(shape);
  Kokkos::View<const T*, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>> host(
      values.data(), values.size());
  Kokkos::deep_copy(t.impl_->data, host);
  return t;
}

template <class T>
const Shape& Tensor<T>::shape() const {
  static const Shape kNone;
  return impl_ ? impl_->shape : kNone;
}

template <class T>
Index Tensor<T>::dim(int axis) const {
  const int n = ndim();
  const int a = axis < 0 ? axis + n : axis;
  if (a < 0 || a >= n)
    throw ShapeError("Tensor::dim: axis " + std::to_string(axis) + " out of range for shape " +
                     to_string(shape()));
  return shape()[a];
}

template <class T>
Index Tensor<T>::numel() const {
  return impl_ ? static_cast<Index>(impl_->data.extent(0)) : 0;
}

template <class T>
const Vec<T>& Tensor<T>::data() const {
  static const Vec<T> kNone;
  return impl_ ? impl_->data : kNone;
}

template <class T>
std::vector<T> Tensor<T>::to_host() const {
  std::vector<T> out(numel());
  Kokkos::View<T*, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>> host(out.data(),
                                                                                    out.size());
  if (numel() > 0) Kokkos::deep_copy(host, impl_->data);
  return out;
}

template <class T>
T Tensor<T>::item() const {
  if (numel() != 1)
    throw ShapeError("Tensor::item: needs one element, shape is " + to_string(shape()));
  T value{};
  Kokkos::View<T, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>> host(&value);
  Kokkos::deep_copy(host, Kokkos::subview(impl_->data, 0));
  return value;
}

template <class T>
Tensor<T>& Tensor<T>::set_requires_grad(bool requires) {
  if (impl_->node && !impl_->node->is_leaf)
    throw std::logic_error("set_requires_grad: only leaf tensors can change it");
  if (!requires) {
    impl_->node.reset();
  } else if (!impl_->node) {
    auto leaf = std::make_shared<Node<T>>();
    leaf->is_leaf = true;
    leaf->out_numel = numel();
    impl_->node = std::move(leaf);
  }
  return *this;
}

template <class T>
bool Tensor<T>::requires_grad() const {
  return impl_ && impl_->node != nullptr;
}

template <class T>
bool Tensor<T>::is_leaf() const {
  return !impl_ || !impl_->node || impl_->node->is_leaf;
}

template <class T>
Vec<T> Tensor<T>::grad() const {
  return requires_grad() ? impl_->node->grad : Vec<T>();
}

template <class T>
Vec<T> Tensor<T>::grad_or_zeros() {
  if (!requires_grad() || !is_leaf())
    throw std::logic_error(
        "grad_or_zeros: only leaf tensors that require grad have a gradient buffer");
  if (impl_->node->grad.extent(0) == 0) impl_->node->grad = Vec<T>("pf::autodiff::grad", numel());
  return impl_->node->grad;
}

template <class T>
void Tensor<T>::zero_grad() {
  if (requires_grad() && impl_->node->grad.extent(0) > 0)
    Kokkos::deep_copy(impl_->node->grad, T(0));
}

template <class T>
Tensor<T> Tensor<T>::detach() const {
  return Tensor(impl_->data, impl_->shape);
}

template <class T>
Tensor<T> Tensor<T>::clone() const {
  Tensor t = empty(shape());
  Kokkos::deep_copy(t.impl_->data, impl_->data);
  return t;
}

template <class T>
const std::shared_ptr<Node<T>>& Tensor<T>::node() const {
  static const std::shared_ptr<Node<T>> kNone;
  return impl_ ? impl_->node : kNone;
}

template <class T>
void Tensor<T>::set_node(std::shared_ptr<Node<T>> node) {
  impl_->node = std::move(node);
}

namespace {

template <class T>
std::shared_ptr<Node<T>> find_edge(Node<T>* consumer, Node<T>* producer) {
  for (const auto& n : consumer->next)
    if (n.get() == producer) return n;
  return nullptr;
}

// Nodes in an order where every node comes before the nodes it feeds from (consumers first).
// Owning pointers: releasing a node's edges during the sweep must not free nodes still to run.
template <class T>
std::vector<std::shared_ptr<Node<T>>> consumers_first(const std::shared_ptr<Node<T>>& root) {
  std::vector<std::shared_ptr<Node<T>>> post_order;
  std::unordered_set<Node<T>*> visited{root.get()};
  std::vector<std::pair<Node<T>*, size_t>> stack{{root.get(), 0}};
  while (!stack.empty()) {
    Node<T>* node = stack.back().first;
    const size_t child = stack.back().second++;
    if (child < node->next.size()) {
      const std::shared_ptr<Node<T>>& next = node->next[child];
      if (next && visited.insert(next.get()).second) stack.emplace_back(next.get(), 0);
    } else {
      stack.pop_back();
      post_order.push_back(nullptr);  // filled below: the owner is the consumer's edge
      post_order.back() = stack.empty() ? root : find_edge(stack.back().first, node);
    }
  }
  return {post_order.rbegin(), post_order.rend()};
}

}  // namespace

template <class T>
void Tensor<T>::backward() const {
  if (numel() != 1)
    throw ShapeError("backward: needs a one-element loss, shape is " + to_string(shape()));
  if (!requires_grad())
    throw std::logic_error("backward: the loss does not depend on any tensor requiring grad");
  ProfilingRegion region("pf::autodiff::backward");
  NoGradGuard no_grad;  // backward kernels must not record
  const std::shared_ptr<Node<T>>& root = impl_->node;
  if (root->released)
    throw std::logic_error("backward: this graph was already used by an earlier backward()");
  // d(loss)/d(loss) = 1, added: a leaf loss accumulates like any other gradient.
  if (root->grad.extent(0) == 0) root->grad = Vec<T>("pf::autodiff::grad", 1);
  const Vec<T> one("pf::autodiff::seed", 1);
  Kokkos::deep_copy(one, T(1));
  kern::axpy<T>(T(1), one, root->grad);

  std::vector<Vec<T>> grad_in;
  for (const std::shared_ptr<Node<T>>& node : consumers_first(root)) {
    if (node->is_leaf) continue;
    if (node->released)
      throw std::logic_error(std::string("backward: node '") + node->name +
                             "' was freed by an earlier backward()");
    if (node->grad.extent(0) > 0) {
      grad_in.assign(node->next.size(), Vec<T>());
      for (size_t i = 0; i < node->next.size(); ++i) {
        Node<T>* next = node->next[i].get();
        if (!next) continue;
        if (next->grad.extent(0) == 0) next->grad = Vec<T>("pf::autodiff::grad", next->out_numel);
        grad_in[i] = next->grad;
      }
      node->backward(node->grad, grad_in);
    }
    // Free what this node saved and the gradient it consumed: the graph is used once.
    node->grad = Vec<T>();
    node->backward = nullptr;
    node->next.clear();
    node->released = true;
  }
}

template <class T>
bool any_requires_grad(const std::vector<const Tensor<T>*>& inputs) {
  if (!grad_mode_enabled()) return false;
  for (const Tensor<T>* t : inputs)
    if (t->requires_grad()) return true;
  return false;
}

template <class T>
Tensor<T> record(const char* name, Tensor<T> out, const std::vector<const Tensor<T>*>& inputs,
                 typename Node<T>::Backward backward) {
  if (!any_requires_grad(inputs)) return out;
  auto node = std::make_shared<Node<T>>();
  node->name = name;
  node->out_numel = out.numel();
  node->next.reserve(inputs.size());
  for (const Tensor<T>* t : inputs)
    node->next.push_back(t->node());
  node->backward = std::move(backward);
  out.set_node(std::move(node));
  return out;
}

#define PF_INSTANTIATE(T)                                                                    \
  template class Tensor<T>;                                                                  \
  template bool any_requires_grad<T>(const std::vector<const Tensor<T>*>&);                  \
  template Tensor<T> record<T>(const char*, Tensor<T>, const std::vector<const Tensor<T>*>&, \
                               typename Node<T>::Backward);
PF_INSTANTIATE(float)
PF_INSTANTIATE(double)
#undef PF_INSTANTIATE

}  // namespace pf
