// The HDF5 structure dataset: exact round trips of ragged atoms, targets with units and NaN for
// missing values, per-atom fields, and errors naming the file and object.
#include "crystal/read_structure.hpp"
#include "crystal/structure_dataset.hpp"
#include "crystal_fixtures.hpp"
#include "io/hdf5.hpp"
#include "scratch_dir.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

namespace {

using namespace pf::crystal;
using pf::testing::crystal_data;
using pf::testing::expect_input_error;
using pf::testing::ScratchDir;

StructureDataset sample() {
  StructureDataset data;
  data.structures.push_back(read_structure(crystal_data("NaCl.cif")));
  data.structures.push_back(read_structure(crystal_data("rutile_TiO2.cif")));
  for (auto& s : read_structures(crystal_data("frames.extxyz")))
    data.structures.push_back(s);
  data.structures[0].properties["band_gap"] = 8.5;
  data.structures[1].occupancy[3] = 0.5;
  data.units["energy"] = "eV";
  std::size_t atoms = 0;
  for (const auto& s : data.structures)
    atoms += s.frac.size();
  std::vector<double> charge;
  for (std::size_t a = 0; a < atoms; ++a)
    charge.push_back(a % 2 ? -1.0 : 1.0);
  data.atom_fields["charge"] = charge;
  data.config = "[test]\nkey = 1\n";
  data.producer = "portaformer test";
  return data;
}

TEST(CrystalDataset, RoundTripIsExact) {
  ScratchDir dir;
  const StructureDataset data = sample();
  write_structure_dataset(dir.file("s.h5"), data);
  const StructureDataset back = read_structure_dataset(dir.file("s.h5"));
  ASSERT_EQ(back.structures.size(), data.structures.size());
  for (std::size_t i = 0; i < data.structures.size(); ++i) {
    const Structure& a = data.structures[i];
    const Structure& b = back.structures[i];
    EXPECT_EQ(b.id, a.id);
    EXPECT_EQ(b.lattice, a.lattice);
    EXPECT_EQ(b.species, a.species);
    EXPECT_EQ(b.frac, a.frac);
    EXPECT_EQ(b.occupancy, a.occupancy);
    EXPECT_EQ(b.properties, a.properties) << "missing targets stay missing (NaN in the file)";
  }
  EXPECT_EQ(back.units, (std::map<std::string, std::string>{{"band_gap", ""}, {"energy", "eV"}}));
  EXPECT_EQ(back.atom_fields, data.atom_fields);
  EXPECT_EQ(back.config, data.config);
  EXPECT_EQ(back.producer, data.producer);
}

TEST(CrystalDataset, LayoutAsDocumented) {
  ScratchDir dir;
  const StructureDataset data = sample();
  write_structure_dataset(dir.file("s.h5"), data);
  const auto f = pf::h5::File::open_read(dir.file("s.h5"));
  EXPECT_EQ(f.string_attr("/", "format"), "portaformer.structures");
  EXPECT_EQ(f.int_attr("/", "n_structures"), 4);
  EXPECT_EQ(f.int_attr("/", "n_atoms"), 8 + 6 + 2 + 1);
  EXPECT_EQ(f.read<std::int64_t>("/structures/offsets").values,
            (std::vector<std::int64_t>{0, 8, 14, 16, 17}));
  EXPECT_EQ(f.dataset_shape("/lattice"), (pf::Shape{4, 3, 3}));
  EXPECT_EQ(f.dataset_shape("/atoms/frac"), (pf::Shape{17, 3}));
  EXPECT_EQ(f.element_class("/atoms/species"), pf::h5::ElementClass::Integer);
  EXPECT_EQ(f.string_array_attr("/targets", "names"),
            (std::vector<std::string>{"band_gap", "energy"}));
  const auto energy = f.read<double>("/targets/energy").values;
  EXPECT_TRUE(std::isnan(energy[0]));
  EXPECT_EQ(energy[2], -6.25);
  EXPECT_EQ(f.read_strings("/ids")[3], "frames.extxyz:1");
}

TEST(CrystalDataset, RefusesWhatItCannotStore) {
  ScratchDir dir;
  StructureDataset data = sample();
  data.atom_fields["charge"].pop_back();
  expect_input_error([&] { write_structure_dataset(dir.file("a.h5"), data); },
                     {"atom field charge", "17 values", "found 16"});
  data = sample();
  data.structures[0].properties["a/b"] = 1.0;
  expect_input_error([&] { write_structure_dataset(dir.file("a.h5"), data); }, {"target", "'a/b'"});
  EXPECT_FALSE(std::filesystem::exists(dir.file("a.h5")));
}

TEST(CrystalDataset, ReaderNamesBrokenObjects) {
  ScratchDir dir;
  write_structure_dataset(dir.file("s.h5"), sample());
  {
    auto f = pf::h5::File::open_rw(dir.file("s.h5"));
    f.write("/structures/offsets", std::vector<std::int64_t>{0, 8, 7, 16, 17}, pf::Shape{5});
  }
  expect_input_error([&] { read_structure_dataset(dir.file("s.h5")); },
                     {"s.h5", "/structures/offsets", "increasing", "8 then 7"});
  {
    auto f = pf::h5::File::create(dir.file("other.h5"));
    f.set_string_attr("/", "format", "something else");
  }
  expect_input_error([&] { read_structure_dataset(dir.file("other.h5")); },
                     {"other.h5", "/@format", "'something else'"});
}

}  // namespace
