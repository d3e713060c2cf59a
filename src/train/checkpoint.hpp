// Checkpoints: model parameters, optimizer state, counters, RNG state and the resolved deck in one
// HDF5 file. Parameter names and shapes follow PyTorch's state_dict, so files convert both ways.
//
// Layout:  /params/<name>                  float32, the parameter's shape (buffers included)
//          /optimizer/<slot>/<param name>  float32, e.g. /optimizer/exp_avg/blocks.0.w; the
//                                          training loop adds /optimizer/history/train [steps, 4]
//          /state/rng                      uint64 (the batch sampler's state, 6 words)
//          attributes on /:      format = "portaformer-checkpoint", format_version, step, epoch,
//                                config (the resolved TOML deck)
//          attributes on /state: named scalars (double), e.g. optimizer_steps
#pragma once

#include "nn/module.hpp"
#include "tensor/tensor.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace pf {

namespace h5 {
class File;
}

struct NamedTensor {
  std::string name;
  Tensor<float> tensor;
};

// A module's state_dict() or an optimizer's state as checkpoint entries (the same tensors, not
// copies), e.g. the targets of load_params.
std::vector<NamedTensor> as_named(const NamedTensors<float>& tensors);

struct Checkpoint {
  std::vector<NamedTensor> params;           // read back sorted by name
  std::vector<NamedTensor> optimizer_state;  // "<slot>/<param name>", read back sorted
  std::int64_t step = 0, epoch = 0;
  std::vector<std::uint64_t> rng_state;
  std::string config_toml;
  std::map<std::string, double> scalars;
  // Writes what a model needs besides its parameters (e.g. /normalization) into the open file,
  // before the file is renamed into place; read back by the model's own code.
  std::function<void(h5::File&)> annotate;
};

inline constexpr const char* kCheckpointFormat = "portaformer-checkpoint";
inline constexpr std::int64_t kCheckpointFormatVersion = 1;

// Writes a temporary file beside `path` and renames it into place, so an interrupted save keeps
// the previous checkpoint intact.
void save_checkpoint(const std::string& path, const Checkpoint& checkpoint);

// Checks the format attributes first; any problem is an InputError naming the file.
Checkpoint read_checkpoint(const std::string& path);

// Copies /params of the file at `path` into the targets' existing storage (a live model's
// parameters), matched by name. Every mismatch — missing names, unexpected names (unless
// allow_unexpected), shape mismatches — is listed in one InputError, and then nothing is copied.
// Files without the format attributes (e.g. converted from PyTorch) are accepted; files that carry
// them must be a supported checkpoint. Other numeric types convert to float.
void load_params(const std::string& path, const std::vector<NamedTensor>& targets,
                 bool allow_unexpected = false);

// The same matching and all-or-nothing copy for tensors already in memory (e.g. the optimizer
// state of a read_checkpoint() result); `source` names their origin in the error message.
void copy_named_tensors(const std::string& source, const std::vector<NamedTensor>& from,
                        const std::vector<NamedTensor>& targets, bool allow_unexpected = false);

// "<dir>/checkpoint_<step>.h5", the name latest_checkpoint() looks for.
std::string checkpoint_path(const std::string& dir, std::int64_t step);

// The checkpoint_<step>.h5 in `dir` with the highest step, or "" if there is none (or no dir).
std::string latest_checkpoint(const std::string& dir);

// `path` itself when it is a file; for a run directory its checkpoint_best.h5 if there is one,
// else its latest checkpoint; InputError naming the directory when it holds none.
std::string best_or_latest_checkpoint(const std::string& path);

// Every checkpoint_<step>.h5 in dir (other names, e.g. checkpoint_best.h5, ignored), by step.
std::vector<std::pair<std::int64_t, std::string>> list_checkpoints(const std::string& dir);

}  // namespace pf
