// Malformed structure files: every error names the file, the line and the problem.
#include "crystal/read_cif.hpp"
#include "crystal/read_structure.hpp"
#include "crystal_fixtures.hpp"

#include <gtest/gtest.h>

namespace {

using pf::crystal::read_structures;
using pf::testing::crystal_data;
using pf::testing::expect_input_error;

void expect_bad(const std::string& name, const std::vector<std::string>& parts) {
  std::vector<std::string> all = {"bad/" + name};
  all.insert(all.end(), parts.begin(), parts.end());
  expect_input_error([&] { read_structures(crystal_data("bad/" + name)); }, all);
}

TEST(CrystalReaderErrors, Truncated) {
  expect_bad("truncated.vasp", {"truncated.vasp:12:", "truncated file", "atom 4 of 4"});
  expect_bad("truncated.xyz", {"truncated.xyz:5:", "truncated frame", "3 atoms"});
  expect_bad("unterminated_text.cif", {"unterminated_text.cif:3:", "never closed"});
}

TEST(CrystalReaderErrors, NonNumeric) {
  expect_bad("nonnumeric_cell.cif", {"nonnumeric_cell.cif:3:", "_cell_length_b", "'five'"});
}

TEST(CrystalReaderErrors, WrongCounts) {
  expect_bad("wrong_counts.cif", {"wrong_counts.cif:8:", "5 tags", "9 values"});
  expect_bad("counts_mismatch.vasp", {"counts_mismatch.vasp:7:", "3 species", "2 counts"});
}

TEST(CrystalReaderErrors, SingularCell) {
  expect_bad("singular.vasp", {"singular.vasp:3:", "singular cell"});
}

TEST(CrystalReaderErrors, OverlappingAtoms) {
  expect_bad("overlap.xyz", {"overlap.xyz:4:", "overlapping atoms", "line 3", "0.1 Å"});
}

TEST(CrystalReaderErrors, UnknownElement) {
  expect_bad("unknown_element.xyz", {"unknown_element.xyz:4:", "unknown element 'Xx'"});
}

TEST(CrystalReaderErrors, MalformedJson) {
  expect_bad("malformed.json", {"malformed.json:7:", "malformed JSON"});
}

TEST(CrystalReaderErrors, SpaceGroupNamesThatSelectNoOperations) {
  const std::string head =
      "data_x\n_cell_length_a 5.43\n_cell_length_b 5.43\n_cell_length_c 5.43\n"
      "_cell_angle_alpha 90\n_cell_angle_beta 90\n_cell_angle_gamma 90\n";
  const std::string sites =
      "loop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n"
      "_atom_site_fract_z\nSi1 0 0 0\n";
  expect_input_error(
      [&] {
        pf::crystal::parse_cif(head + "_space_group_name_H-M_alt 'F d -3 m'\n" + sites, "si.cif");
      },
      {"si.cif:8:", "'F d -3 m'", "two origin choices"});
  expect_input_error(
      [&] { pf::crystal::parse_cif(head + "_space_group_name_H-M_alt 'Q 42'\n" + sites, "q.cif"); },
      {"q.cif:8:", "'Q 42'", "not in spglib's tables"});
}

TEST(CrystalReaderErrors, MissingFile) {
  expect_input_error([] { read_structures(crystal_data("no_such_file.cif")); },
                     {"no_such_file.cif", "cannot be read"});
}

}  // namespace
