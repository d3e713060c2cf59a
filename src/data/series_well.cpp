// The per-frame series of a Well-layout file (scalars/<name> [n_traj, n_steps], time-varying)
// read as one multichannel series: the chosen trajectory's series are the channels.
#include "core/error.hpp"
#include "data/series.hpp"
#include "io/hdf5.hpp"

namespace pf::data {

Series read_well_scalars(const h5::File& f, Index trajectory) {
  const std::string& path = f.path();
  Series s;
  s.path = path;
  std::vector<std::string> names;
  if (f.has_attr("/scalars", "field_names"))
    names = f.string_array_attr("/scalars", "field_names");
  else
    for (const auto& full : f.list_datasets("/scalars"))
      names.push_back(full.substr(full.rfind('/') + 1));
  Index n_traj = 0, n_steps = 0;
  for (const auto& name : names) {
    const std::string ds = "/scalars/" + name;
    if (!f.exists(ds)) continue;
    const Shape shape = f.dataset_shape(ds);
    // Constant parameters are [1] (time_varying false); only [n_traj, n_steps] series count.
    const bool varying =
        f.has_attr(ds, "time_varying") ? f.bool_attr(ds, "time_varying") : shape.size() == 2;
    if (!varying || shape.size() != 2) continue;
    if (s.channels.empty()) n_traj = shape[0], n_steps = shape[1];
    if (shape[0] != n_traj || shape[1] != n_steps)
      throw InputError(path + ": " + ds + ": expected shape [" + std::to_string(n_traj) + ", " +
                       std::to_string(n_steps) + "] like the first series, found " +
                       to_string(shape));
    s.channels.push_back(name);
  }
  if (s.channels.empty())
    throw InputError(path +
                     ": /scalars: expected at least one time-varying series [n_traj, "
                     "n_steps], found none");
  if (trajectory < 0 || trajectory >= n_traj)
    throw InputError(path + ": trajectory: expected an index in [0, " + std::to_string(n_traj) +
                     "), found " + std::to_string(trajectory));
  const Index c = s.channel_count();
  s.rows = n_steps;
  s.values.resize(size_t(n_steps * c));
  std::vector<double> series(static_cast<size_t>(n_steps));
  for (Index ch = 0; ch < c; ++ch) {
    f.read_slab("/scalars/" + s.channels[size_t(ch)], {trajectory, 0}, {1, n_steps}, series.data());
    for (Index t = 0; t < n_steps; ++t)
      s.values[size_t(t * c + ch)] = float(series[size_t(t)]);
  }
  if (f.exists("/dimensions/time")) {
    const auto time = f.read<double>("/dimensions/time");
    if (time.shape != Shape{n_steps})
      throw InputError(path + ": /dimensions/time: expected shape [" + std::to_string(n_steps) +
                       "], found " + to_string(time.shape));
    s.time = time.values;
    s.time_unit = "simulation time";
    s.sampling_interval = uniform_step(s.time);
  }
  std::string dataset = f.has_attr("/", "dataset_name") ? f.string_attr("/", "dataset_name") : "";
  s.source = "scalars of trajectory " + std::to_string(trajectory) + " of " + path +
             (dataset.empty() ? "" : " (" + dataset + ")");
  return s;
}

}  // namespace pf::data
