#include "train/checkpoint.hpp"

#include "core/error.hpp"
#include "io/hdf5.hpp"
#include "io/hdf5_atomic.hpp"

#include <Kokkos_Core.hpp>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>
#include <stdexcept>
#include <utility>

namespace pf {

namespace {

constexpr const char* kParamsGroup = "/params";
constexpr const char* kOptimizerGroup = "/optimizer";
constexpr const char* kStateGroup = "/state";
constexpr const char* kRngDataset = "/state/rng";

// Names become HDF5 paths below a group; these forms would escape it or collapse components.
void check_names(const std::string& path, const std::string& group,
                 const std::vector<NamedTensor>& tensors) {
  std::set<std::string> seen;
  for (const NamedTensor& t : tensors) {
    const std::string& n = t.name;
    if (n.empty() || n.front() == '/' || n.back() == '/' || n.find("//") != std::string::npos) {
      throw std::invalid_argument(path + ": " + group + ": expected a tensor name like " +
                                  "\"blocks.0.w\", found \"" + n + "\"");
    }
    if (!seen.insert(n).second) {
      throw std::invalid_argument(path + ": " + group + ": tensor \"" + n + "\" appears twice");
    }
    if (!t.tensor.defined()) {
      throw std::invalid_argument(path + ": " + group + "/" + n +
                                  ": expected a tensor, found an undefined one");
    }
  }
}

void write_group(h5::File& file, const std::string& group, const std::vector<NamedTensor>& list) {
  file.ensure_group(group);
  for (const NamedTensor& t : list)
    h5::write_tensor(file, group + "/" + t.name, t.tensor);
}

std::vector<NamedTensor> read_group(const h5::File& file, const std::string& group) {
  std::vector<NamedTensor> out;
  const std::string prefix = group + "/";
  for (const std::string& path : file.list_datasets(group)) {
    out.push_back({path.substr(prefix.size()), h5::read_tensor(file, path)});
  }
  return out;
}

void check_format(const h5::File& file) {
  if (!file.has_attr("/", "format")) {
    throw InputError(file.path() + ": attribute \"format\" on /: expected \"" +
                     std::string(kCheckpointFormat) +
                     "\", found no such attribute (not a PortaFormer checkpoint)");
  }
  const std::string format = file.string_attr("/", "format");
  if (format != kCheckpointFormat) {
    throw InputError(file.path() + ": attribute \"format\" on /: expected \"" +
                     std::string(kCheckpointFormat) + "\", found \"" + format + "\"");
  }
  const std::int64_t version = file.int_attr("/", "format_version");
  if (version != kCheckpointFormatVersion) {
    throw InputError(
        file.path() + ": attribute \"format_version\" on /: expected " +
        std::to_string(kCheckpointFormatVersion) + ", found " + std::to_string(version) +
        (version > kCheckpointFormatVersion ? " (written by a newer PortaFormer)"
                                            : " (an older format this build does not read)"));
  }
}

// Element-wise copy into a live tensor's storage: its View (and any alias of it) stays valid.
void copy_host_into(const Tensor<float>& target, const std::vector<float>& values) {
  using HostView =
      Kokkos::View<const float*, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;
  const auto n = static_cast<size_t>(values.size());
  Kokkos::deep_copy(Kokkos::subview(target.data(), std::make_pair(size_t{0}, n)),
                    HostView(values.data(), n));
}

struct FoundTensor {
  std::string name;
  Shape shape;
};

// Lists every difference between what a source holds and what the targets expect, so one failed
// load shows all renamed or resized parameters at once.
void check_match(const std::string& source, const std::vector<FoundTensor>& found,
                 const std::vector<NamedTensor>& targets, bool allow_unexpected) {
  std::map<std::string, Shape> available;
  for (const FoundTensor& f : found)
    available.emplace(f.name, f.shape);

  std::vector<std::string> problems;
  std::set<std::string> wanted;
  for (const NamedTensor& t : targets) {
    if (!wanted.insert(t.name).second) {
      problems.push_back("target \"" + t.name + "\" is listed twice");
      continue;
    }
    if (!t.tensor.defined()) {
      problems.push_back("target \"" + t.name + "\" is an undefined tensor");
      continue;
    }
    auto it = available.find(t.name);
    if (it == available.end()) {
      problems.push_back("missing: \"" + t.name + "\" (model expects shape " +
                         to_string(t.tensor.shape()) + ")");
    } else if (it->second != t.tensor.shape()) {
      problems.push_back("shape mismatch: \"" + t.name + "\" expected " +
                         to_string(t.tensor.shape()) + " (model), found " + to_string(it->second) +
                         " (file)");
    }
  }
  if (!allow_unexpected) {
    for (const FoundTensor& f : found) {
      if (!wanted.count(f.name)) {
        problems.push_back("unexpected: \"" + f.name + "\" with shape " + to_string(f.shape) +
                           " (not in the model)");
      }
    }
  }
  if (problems.empty()) return;
  std::string message = source + ": does not match the model (" + std::to_string(problems.size()) +
                        " problem" + (problems.size() == 1 ? "" : "s") + "):";
  for (const std::string& p : problems)
    message += "\n  " + p;
  throw InputError(message);
}

}  // namespace

std::vector<NamedTensor> as_named(const NamedTensors<float>& tensors) {
  std::vector<NamedTensor> out;
  for (const auto& [name, t] : tensors)
    out.push_back({name, t});
  return out;
}

void save_checkpoint(const std::string& path, const Checkpoint& checkpoint) {
  check_names(path, kParamsGroup, checkpoint.params);
  check_names(path, kOptimizerGroup, checkpoint.optimizer_state);

  h5::write_file_atomically(path, [&](h5::File& file) {
    file.set_string_attr("/", "format", kCheckpointFormat);
    file.set_int_attr("/", "format_version", kCheckpointFormatVersion);
    file.set_int_attr("/", "step", checkpoint.step);
    file.set_int_attr("/", "epoch", checkpoint.epoch);
    file.set_string_attr("/", "config", checkpoint.config_toml);
    write_group(file, kParamsGroup, checkpoint.params);
    write_group(file, kOptimizerGroup, checkpoint.optimizer_state);
    file.write(kRngDataset, checkpoint.rng_state,
               {static_cast<Index>(checkpoint.rng_state.size())});
    for (const auto& [name, value] : checkpoint.scalars) {
      file.set_double_attr(kStateGroup, name, value);
    }
    if (checkpoint.annotate) checkpoint.annotate(file);
  });
}

Checkpoint read_checkpoint(const std::string& path) {
  h5::File file = h5::File::open_read(path);
  check_format(file);
  Checkpoint checkpoint;
  checkpoint.step = file.int_attr("/", "step");
  checkpoint.epoch = file.int_attr("/", "epoch");
  checkpoint.config_toml = file.string_attr("/", "config");
  checkpoint.params = read_group(file, kParamsGroup);
  checkpoint.optimizer_state = read_group(file, kOptimizerGroup);
  checkpoint.rng_state = file.read<std::uint64_t>(kRngDataset).values;
  for (const std::string& name : file.attr_names(kStateGroup)) {
    checkpoint.scalars[name] = file.double_attr(kStateGroup, name);
  }
  return checkpoint;
}

void load_params(const std::string& path, const std::vector<NamedTensor>& targets,
                 bool allow_unexpected) {
  h5::File file = h5::File::open_read(path);
  if (file.has_attr("/", "format")) check_format(file);

  // Shapes first: a mismatch is reported before any data is read or any parameter touched.
  std::vector<FoundTensor> found;
  const std::string prefix = std::string(kParamsGroup) + "/";
  for (const std::string& dataset : file.list_datasets(kParamsGroup)) {
    found.push_back({dataset.substr(prefix.size()), file.dataset_shape(dataset)});
  }
  check_match(path + ": " + kParamsGroup, found, targets, allow_unexpected);

  // Read everything before copying anything, so a read error leaves the model untouched.
  std::vector<std::vector<float>> values;
  values.reserve(targets.size());
  for (const NamedTensor& t : targets)
    values.push_back(file.read<float>(prefix + t.name).values);
  for (size_t i = 0; i < targets.size(); ++i)
    copy_host_into(targets[i].tensor, values[i]);
}

void copy_named_tensors(const std::string& source, const std::vector<NamedTensor>& from,
                        const std::vector<NamedTensor>& targets, bool allow_unexpected) {
  std::vector<FoundTensor> found;
  std::map<std::string, const Tensor<float>*> by_name;
  for (const NamedTensor& f : from) {
    if (!f.tensor.defined()) continue;  // nothing to copy: reported as missing if wanted
    found.push_back({f.name, f.tensor.shape()});
    by_name.emplace(f.name, &f.tensor);
  }
  check_match(source, found, targets, allow_unexpected);
  for (const NamedTensor& t : targets) {
    const Tensor<float>& src = *by_name.at(t.name);
    const auto n = static_cast<size_t>(t.tensor.numel());
    const auto range = std::make_pair(size_t{0}, n);
    Kokkos::deep_copy(Kokkos::subview(t.tensor.data(), range), Kokkos::subview(src.data(), range));
  }
}

std::string checkpoint_path(const std::string& dir, std::int64_t step) {
  return (std::filesystem::path(dir) / ("checkpoint_" + std::to_string(step) + ".h5")).string();
}

std::vector<std::pair<std::int64_t, std::string>> list_checkpoints(const std::string& dir) {
  std::vector<std::pair<std::int64_t, std::string>> found;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return found;
  static const std::regex pattern(R"(checkpoint_(\d+)\.h5)");
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    std::smatch match;
    if (!entry.is_regular_file(ec) || !std::regex_match(name, match, pattern)) continue;
    try {
      found.emplace_back(std::stoll(match[1].str()), entry.path().string());
    } catch (const std::out_of_range&) {
      continue;  // not a step we could have written
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::string latest_checkpoint(const std::string& dir) {
  const auto found = list_checkpoints(dir);
  return found.empty() ? "" : found.back().second;
}

std::string best_or_latest_checkpoint(const std::string& path) {
  if (!std::filesystem::is_directory(path)) return path;
  const std::string best = (std::filesystem::path(path) / "checkpoint_best.h5").string();
  if (std::filesystem::exists(best)) return best;
  const std::string latest = latest_checkpoint(path);
  if (latest.empty())
    throw InputError(path +
                     ": expected a checkpoint file or a run directory holding "
                     "checkpoint_<step>.h5, found no checkpoint");
  return latest;
}

}  // namespace pf
