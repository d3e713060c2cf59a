#include "crystal/structure_dataset.hpp"

#include "core/error.hpp"
#include "io/atomic_output.hpp"
#include "io/hdf5.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>

namespace pf::crystal {
namespace {

constexpr const char* kFormat = "portaformer.structures";
constexpr std::int64_t kVersion = 1;

// Atom arrays are chunked this many atoms at a time (0.5–1.5 MiB of fp64 positions), compressed
// with shuffle + deflate as every HDF5 reader can decode.
constexpr Index kAtomChunk = 65536;

void check_name(const std::string& name, const std::string& what) {
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos) {
    throw InputError(what + ": expected a name without '/', found '" + name + "'");
  }
}

[[noreturn]] void bad_file(const std::string& file, const std::string& object,
                           const std::string& problem) {
  throw InputError(file + ": " + object + ": " + problem);
}

}  // namespace

std::vector<std::string> target_names(const std::vector<Structure>& structures) {
  std::set<std::string> names;
  for (const auto& s : structures) {
    for (const auto& [name, value] : s.properties)
      names.insert(name);
  }
  return {names.begin(), names.end()};
}

void write_structure_dataset(const std::string& path, const StructureDataset& data) {
  const auto& all = data.structures;
  const auto n = static_cast<Index>(all.size());
  std::vector<std::int64_t> offsets{0};
  std::vector<std::uint8_t> species;
  std::vector<double> frac, occupancy, lattice;
  std::vector<std::string> ids;
  for (const auto& s : all) {
    const std::size_t atoms = s.frac.size();
    if (atoms == 0 || s.species.size() != atoms ||
        (!s.occupancy.empty() && s.occupancy.size() != atoms)) {
      throw InputError(fmt::format(
          "structure {}: expected atoms with one species and occupancy each, found {} positions, "
          "{} species, {} occupancies",
          s.id, atoms, s.species.size(), s.occupancy.size()));
    }
    for (std::size_t a = 0; a < atoms; ++a) {
      if (s.species[a] < 1 || s.species[a] > 118) {
        throw InputError(fmt::format("structure {}: atom {} has Z = {}", s.id, a, s.species[a]));
      }
      species.push_back(static_cast<std::uint8_t>(s.species[a]));
      frac.insert(frac.end(), s.frac[a].begin(), s.frac[a].end());
      occupancy.push_back(s.occupancy.empty() ? 1.0 : s.occupancy[a]);
    }
    offsets.push_back(offsets.back() + static_cast<std::int64_t>(atoms));
    for (const auto& row : s.lattice)
      lattice.insert(lattice.end(), row.begin(), row.end());
    ids.push_back(s.id);
  }
  const Index m = offsets.back();
  for (const auto& [name, values] : data.atom_fields) {
    check_name(name, "atom field");
    if (static_cast<Index>(values.size()) != m) {
      throw InputError(fmt::format("atom field {}: expected {} values (one per atom), found {}",
                                   name, m, values.size()));
    }
  }
  const auto names = target_names(all);
  for (const auto& name : names)
    check_name(name, "target");

  AtomicOutput output(path);
  {
    auto f = h5::File::create(output.temp_path());
    h5::WriteOptions atoms_options{{std::min<Index>(std::max<Index>(m, 1), kAtomChunk)}, true, 4};
    h5::WriteOptions rows_options{{std::min<Index>(std::max<Index>(m, 1), kAtomChunk), 3}, true, 4};
    f.set_string_attr("/", "format", kFormat);
    f.set_int_attr("/", "format_version", kVersion);
    f.set_int_attr("/", "n_structures", n);
    f.set_int_attr("/", "n_atoms", m);
    f.set_string_attr("/", "config", data.config);
    f.set_string_attr("/", "producer", data.producer);
    f.write_strings("/ids", ids);
    f.write("/lattice", lattice, Shape{n, 3, 3});
    f.write("/structures/offsets", offsets, Shape{n + 1});
    f.write("/atoms/species", species, Shape{m}, atoms_options);
    f.write("/atoms/frac", frac, Shape{m, 3}, rows_options);
    f.write("/atoms/occupancy", occupancy, Shape{m}, atoms_options);
    for (const auto& [name, values] : data.atom_fields) {
      f.write("/atoms/" + name, values, Shape{m}, atoms_options);
    }
    f.ensure_group("/targets");
    f.set_string_array_attr("/targets", "names", names);
    for (const auto& name : names) {
      std::vector<double> values(all.size(), std::numeric_limits<double>::quiet_NaN());
      for (std::size_t i = 0; i < all.size(); ++i) {
        const auto it = all[i].properties.find(name);
        if (it != all[i].properties.end()) values[i] = it->second;
      }
      const std::string object = "/targets/" + name;
      f.write(object, values, Shape{n});
      const auto units = data.units.find(name);
      f.set_string_attr(object, "units", units == data.units.end() ? "" : units->second);
    }
    f.close();
  }
  output.commit();
}

StructureDataset read_structure_dataset(const std::string& path) {
  const auto f = h5::File::open_read(path);
  if (!f.has_attr("/", "format") || f.string_attr("/", "format") != kFormat) {
    bad_file(path, "/@format",
             std::string("expected a structure dataset ('") + kFormat + "'), found " +
                 (f.has_attr("/", "format") ? "'" + f.string_attr("/", "format") + "'"
                                            : "no format attribute"));
  }
  const auto version = f.int_attr("/", "format_version");
  if (version != kVersion) {
    bad_file(path, "/@format_version", fmt::format("expected {}, found {}", kVersion, version));
  }
  StructureDataset data;
  data.config = f.string_attr("/", "config");
  data.producer = f.string_attr("/", "producer");
  const auto ids = f.read_strings("/ids");
  const auto n = static_cast<Index>(ids.size());
  const auto offsets = f.read<std::int64_t>("/structures/offsets");
  const auto lattice = f.read<double>("/lattice");
  const auto species = f.read<std::int64_t>("/atoms/species");
  const auto frac = f.read<double>("/atoms/frac");
  const auto occupancy = f.read<double>("/atoms/occupancy");
  const auto m = static_cast<Index>(species.values.size());
  const auto expect_shape = [&](const std::string& object, const Shape& found,
                                const Shape& expected) {
    if (found != expected) {
      bad_file(path, object,
               "expected shape " + to_string(expected) + ", found " + to_string(found));
    }
  };
  expect_shape("/structures/offsets", offsets.shape, Shape{n + 1});
  expect_shape("/lattice", lattice.shape, Shape{n, 3, 3});
  expect_shape("/atoms/frac", frac.shape, Shape{m, 3});
  expect_shape("/atoms/occupancy", occupancy.shape, Shape{m});
  const auto& off = offsets.values;
  if (off.front() != 0 || off.back() != m) {
    bad_file(path, "/structures/offsets",
             fmt::format("expected offsets from 0 to {} atoms, found {} to {}", m, off.front(),
                         off.back()));
  }
  for (const auto z : species.values) {
    if (z < 1 || z > 118) bad_file(path, "/atoms/species", fmt::format("found Z = {}", z));
  }
  for (Index i = 0; i < n; ++i) {
    if (off[i + 1] <= off[i]) {
      bad_file(path, "/structures/offsets",
               fmt::format("expected increasing offsets, found {} then {} at structure {}", off[i],
                           off[i + 1], i));
    }
  }
  std::vector<std::string> names;
  if (f.exists("/targets")) names = f.string_array_attr("/targets", "names");
  std::vector<std::vector<double>> targets;
  for (const auto& name : names) {
    const std::string object = "/targets/" + name;
    auto values = f.read<double>(object);
    expect_shape(object, values.shape, Shape{n});
    targets.push_back(std::move(values.values));
    data.units[name] = f.string_attr(object, "units");
  }
  for (const auto& object : f.list_datasets("/atoms")) {
    const std::string name = object.substr(std::string("/atoms/").size());
    if (name == "species" || name == "frac" || name == "occupancy") continue;
    auto values = f.read<double>(object);
    expect_shape(object, values.shape, Shape{m});
    data.atom_fields[name] = std::move(values.values);
  }
  data.structures.resize(ids.size());
  for (Index i = 0; i < n; ++i) {
    Structure& s = data.structures[static_cast<std::size_t>(i)];
    s.id = ids[static_cast<std::size_t>(i)];
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c)
        s.lattice[r][c] = lattice.values[static_cast<std::size_t>(9 * i + 3 * r + c)];
    for (std::int64_t a = off[i]; a < off[i + 1]; ++a) {
      const auto k = static_cast<std::size_t>(a);
      s.species.push_back(static_cast<int>(species.values[k]));
      s.frac.push_back({frac.values[3 * k], frac.values[3 * k + 1], frac.values[3 * k + 2]});
      s.occupancy.push_back(occupancy.values[k]);
    }
    for (std::size_t t = 0; t < names.size(); ++t) {
      const double v = targets[t][static_cast<std::size_t>(i)];
      if (!std::isnan(v)) s.properties[names[t]] = v;
    }
  }
  return data;
}

}  // namespace pf::crystal
