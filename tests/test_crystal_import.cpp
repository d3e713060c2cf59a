// Importing structure files into a dataset: folder listing, CSV targets matched by id, skip vs
// stop on bad files, duplicate ids, primitive reduction.
#include "crystal/import.hpp"
#include "crystal/target_table.hpp"
#include "crystal_fixtures.hpp"
#include "scratch_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace {

using namespace pf::crystal;
using pf::testing::crystal_data;
using pf::testing::expect_input_error;
using pf::testing::ScratchDir;
namespace fs = std::filesystem;

void write_text(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path) << text;
}

TEST(CrystalTargets, HeaderOrNotMissingCellsAndIdMatching) {
  ScratchDir dir;
  write_text(dir.file("t.csv"), "id,e_form,gap\nmp-1,-1.5,\n\"mp,2\",2e-1,3\n");
  const TargetTable t = read_target_table(dir.file("t.csv"));
  EXPECT_EQ(t.names, (std::vector<std::string>{"e_form", "gap"}));
  EXPECT_EQ(t.rows.at("mp-1"), (std::map<std::string, double>{{"e_form", -1.5}}));
  EXPECT_EQ(t.rows.at("mp,2").at("gap"), 3.0);
  EXPECT_EQ(find_row(t, "mp-1.cif"), "mp-1");
  EXPECT_EQ(find_row(t, "mp-1"), "mp-1");
  EXPECT_EQ(find_row(t, "sub.dir/mp-1"), "");
  EXPECT_EQ(find_row(t, "mp-3.cif"), "");

  write_text(dir.file("cgcnn.csv"), "a,1.0\nb,2.0\n");
  const TargetTable plain = read_target_table(dir.file("cgcnn.csv"));
  EXPECT_EQ(plain.names, (std::vector<std::string>{"target"}));
  EXPECT_EQ(plain.rows.at("a").at("target"), 1.0);
  EXPECT_EQ(find_row(plain, "run.xyz:3"), "");

  write_text(dir.file("bad.csv"), "id,e\na,1\nb,x\n");
  expect_input_error([&] { read_target_table(dir.file("bad.csv")); },
                     {"bad.csv:3:", "target e", "'x'"});
  write_text(dir.file("cols.csv"), "id,e\na,1,2\n");
  expect_input_error([&] { read_target_table(dir.file("cols.csv")); },
                     {"cols.csv:2:", "expected 2 columns", "found 3"});
  write_text(dir.file("rep.csv"), "id,e\na,1\na,2\n");
  expect_input_error([&] { read_target_table(dir.file("rep.csv")); },
                     {"rep.csv:3:", "'a' repeats line 2"});
}

void copy_data(const std::string& name, const std::string& to) {
  fs::create_directories(fs::path(to).parent_path());
  fs::copy_file(crystal_data(name), to);
}

TEST(CrystalImport, FolderWithTargetsCsv) {
  ScratchDir dir;
  copy_data("NaCl.cif", dir.file("in/NaCl.cif"));
  copy_data("NaCl.cif", dir.file("in/sub/NaCl.cif"));
  copy_data("frames.extxyz", dir.file("in/frames.extxyz"));
  write_text(dir.file("in/README.txt"), "not a structure\n");
  const auto flat = list_structure_files({dir.file("in")}, false);
  ASSERT_EQ(flat.size(), 2u);
  EXPECT_EQ(flat[0].id, "NaCl.cif");
  EXPECT_EQ(flat[1].id, "frames.extxyz");
  const auto sources = list_structure_files({dir.file("in")}, true);
  ASSERT_EQ(sources.size(), 3u);
  EXPECT_EQ(sources[2].id, "sub/NaCl.cif");

  write_text(dir.file("t.csv"),
             "id,gap\nNaCl,5.0\nframes:0,1\nframes.extxyz:1,2\nsub/NaCl.cif,7\nunused,9\n");
  ImportOptions options;
  options.targets_csv = dir.file("t.csv");
  options.units = {{"gap", "eV"}};
  const ImportResult r = import_structures(sources, options);
  const auto& all = r.dataset.structures;
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].id, "NaCl.cif");
  EXPECT_EQ(all[1].id, "frames.extxyz:0");
  EXPECT_EQ(all[3].id, "sub/NaCl.cif");
  EXPECT_EQ(all[0].properties, (std::map<std::string, double>{{"gap", 5.0}}));
  EXPECT_EQ(all[2].properties, (std::map<std::string, double>{{"energy", -3.5}, {"gap", 2.0}}));
  EXPECT_EQ(all[3].properties.at("gap"), 7.0);
  EXPECT_EQ(r.files_read, 3u);
  EXPECT_TRUE(r.failures.empty());
  EXPECT_EQ(r.unused_target_ids, (std::vector<std::string>{"unused"}));
  EXPECT_EQ(r.dataset.units.at("gap"), "eV");
}

TEST(CrystalImport, SkipReportsFailuresStopThrows) {
  const std::vector<StructureSource> sources = {
      {crystal_data("NaCl.cif"), "NaCl.cif"},
      {crystal_data("bad/overlap.xyz"), "overlap.xyz"},
      {crystal_data("rutile_TiO2.cif"), "rutile_TiO2.cif"}};
  ImportOptions stop;
  expect_input_error([&] { import_structures(sources, stop); },
                     {"overlap.xyz:4:", "overlapping atoms"});
  ImportOptions skip;
  skip.stop_on_error = false;
  std::size_t calls = 0;
  const ImportResult r = import_structures(sources, skip, [&](std::size_t done, std::size_t total) {
    EXPECT_EQ(done, ++calls);
    EXPECT_EQ(total, 3u);
  });
  EXPECT_EQ(calls, 3u);
  ASSERT_EQ(r.dataset.structures.size(), 2u);
  EXPECT_EQ(r.dataset.structures[1].id, "rutile_TiO2.cif");
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_EQ(r.failures[0].path, crystal_data("bad/overlap.xyz"));
  EXPECT_NE(r.failures[0].reason.find("overlapping atoms"), std::string::npos);

  const std::vector<StructureSource> only_bad = {sources[1]};
  expect_input_error([&] { import_structures(only_bad, skip); },
                     {"no structure could be read from 1 file", "overlapping"});
}

TEST(CrystalImport, MissingTargetRowAndRepeatedIdFailTheFile) {
  ScratchDir dir;
  write_text(dir.file("t.csv"), "id,gap\nNaCl,5\n");
  const std::vector<StructureSource> sources = {
      {crystal_data("NaCl.cif"), "NaCl.cif"},
      {crystal_data("NaCl.cif"), "NaCl.cif"},
      {crystal_data("rutile_TiO2.cif"), "rutile_TiO2.cif"}};
  ImportOptions options;
  options.stop_on_error = false;
  options.targets_csv = dir.file("t.csv");
  const ImportResult r = import_structures(sources, options);
  ASSERT_EQ(r.dataset.structures.size(), 1u);
  ASSERT_EQ(r.failures.size(), 2u);
  EXPECT_NE(r.failures[0].reason.find("'NaCl.cif' repeats one from"), std::string::npos);
  EXPECT_NE(r.failures[1].reason.find("'rutile_TiO2.cif' has no row in"), std::string::npos);
}

TEST(CrystalImport, PrimitiveReduction) {
  ImportOptions options;
  options.primitive = true;
  const ImportResult r = import_structures({{crystal_data("NaCl.cif"), "NaCl.cif"}}, options);
  ASSERT_EQ(r.dataset.structures.size(), 1u);
  EXPECT_EQ(r.dataset.structures[0].frac.size(), 2u);
  EXPECT_EQ(r.dataset.structures[0].id, "NaCl.cif");
}

TEST(CrystalImport, MissingInputIsAnError) {
  expect_input_error([] { list_structure_files({"/no/such/place"}, false); },
                     {"/no/such/place", "expected a structure file or a folder"});
}

}  // namespace
