#include "optim/adam.hpp"

#include "core/error.hpp"
#include "kernels/optim.hpp"

#include <cmath>
#include <map>

namespace pf {

template <class T>
Adam<T>::Adam(NamedTensors<T> params, AdamConfig config)
    : params_(std::move(params)), config_(config) {
  for (const auto& [name, p] : params_) {
    exp_avg_.push_back(Tensor<T>::zeros(p.shape()));
    exp_avg_sq_.push_back(Tensor<T>::zeros(p.shape()));
    decay_.push_back(config_.decay_vectors || p.ndim() > 1);
  }
}

template <class T>
void Adam<T>::step(double lr, double beta1) {
  ProfilingRegion region("pf::optim::adam_step");
  ++step_;
  kern::AdamStep s{lr,
                   beta1,
                   config_.beta2,
                   config_.eps,
                   0.0,
                   config_.decoupled,
                   1.0 - std::pow(beta1, double(step_)),
                   1.0 - std::pow(config_.beta2, double(step_))};
  for (size_t i = 0; i < params_.size(); ++i) {
    const Tensor<T>& p = params_[i].second;
    const Vec<T> g = p.grad();
    // Never given a gradient (not in any graph yet): skipped, as torch skips grad None. A zero
    // gradient after zero_grad() is applied, as torch's zero_grad(set_to_none=False) does.
    if (g.extent(0) == 0) continue;
    s.weight_decay = decay_[i] ? config_.weight_decay : 0.0;
    kern::adam_update<T>(p.data(), g, exp_avg_[i].data(), exp_avg_sq_[i].data(), s);
  }
}

template <class T>
void Adam<T>::zero_grad() {
  for (auto& [name, p] : params_)
    p.zero_grad();
}

template <class T>
NamedTensors<T> Adam<T>::state() const {
  NamedTensors<T> out;
  for (size_t i = 0; i < params_.size(); ++i) {
    out.emplace_back("exp_avg/" + params_[i].first, exp_avg_[i]);
    out.emplace_back("exp_avg_sq/" + params_[i].first, exp_avg_sq_[i]);
  }
  return out;
}

template <class T>
void Adam<T>::load_state(const NamedTensors<T>& state, std::int64_t steps_taken,
                         const std::string& source) {
  std::map<std::string, Tensor<T>> by_name(state.begin(), state.end());
  const NamedTensors<T> mine = this->state();
  // Check everything before copying anything: a failed load leaves the optimizer as it was.
  std::string problems;
  for (const auto& [name, t] : mine) {
    auto it = by_name.find(name);
    if (it == by_name.end())
      problems += "\n  missing optimizer state '" + name + "'";
    else if (it->second.shape() != t.shape())
      problems += "\n  '" + name + "': expected shape " + to_string(t.shape()) + ", found " +
                  to_string(it->second.shape());
    by_name.erase(name);
  }
  for (const auto& [name, t] : by_name)
    problems += "\n  unexpected optimizer state '" + name + "' " + to_string(t.shape());
  if (!problems.empty())
    throw InputError(source + ": optimizer state does not match the model:" + problems);
  std::map<std::string, Tensor<T>> given(state.begin(), state.end());
  for (const auto& [name, t] : mine)
    Kokkos::deep_copy(t.data(), given.at(name).data());
  step_ = steps_taken;
}

template class Adam<float>;
template class Adam<double>;

}  // namespace pf
