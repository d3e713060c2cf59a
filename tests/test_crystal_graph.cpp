// ComFormer's periodic graph: neighbour counts on known lattices, ties, the lattice triple, and
// invariance of the edges under rotation, translation, permutation, lattice shifts, unimodular
// changes of basis and supercells. All in fp64; distances agree to rounding (~1e-15 Å per
// operation on O(10) Å values), so 1e-9 Å tolerances leave six orders of margin while still
// catching any wrong neighbour (distinct shells differ by ≥ 1e-2 Å here).
#include "core/error.hpp"
#include "crystal/graph_features.hpp"
#include "crystal/periodic_graph.hpp"
#include "crystal_cells.hpp"
#include "tensor/ops.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace pf::test {
namespace {

using crystal::GraphOptions;
using crystal::Image;
using crystal::PeriodicGraph;

constexpr double kTol = 1e-9;

double edge_length(const PeriodicGraph& g, Index e) {
  const double* r = &g.displacement[3 * e];
  return std::sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
}

std::vector<double> sorted_lengths(const PeriodicGraph& g) {
  std::vector<double> v(g.num_edges());
  for (Index e = 0; e < g.num_edges(); ++e)
    v[e] = edge_length(g, e);
  std::sort(v.begin(), v.end());
  return v;
}

std::vector<Index> out_degree(const PeriodicGraph& g) {
  std::vector<Index> d(g.num_nodes(), 0);
  for (Index s : g.src)
    ++d[s];
  return d;
}

// Every edge of `a`, its nodes renamed by perm and its vector rotated by R, matches a distinct
// edge of `b`.
void expect_same_edges(const PeriodicGraph& a, const PeriodicGraph& b, const std::vector<int>& perm,
                       const Mat3d& R) {
  ASSERT_EQ(a.num_edges(), b.num_edges());
  std::vector<bool> used(b.num_edges(), false);
  for (Index e = 0; e < a.num_edges(); ++e) {
    const double* r = &a.displacement[3 * e];
    std::array<double, 3> Rr{};
    for (int i = 0; i < 3; ++i)
      for (int k = 0; k < 3; ++k)
        Rr[i] += R[i][k] * r[k];
    bool found = false;
    for (Index f = 0; f < b.num_edges() && !found; ++f) {
      if (used[f] || b.src[f] != perm[a.src[e]] || b.dst[f] != perm[a.dst[e]]) continue;
      const double* q = &b.displacement[3 * f];
      if (std::abs(q[0] - Rr[0]) < kTol && std::abs(q[1] - Rr[1]) < kTol &&
          std::abs(q[2] - Rr[2]) < kTol)
        used[f] = found = true;
    }
    EXPECT_TRUE(found) << "edge " << e << " (" << a.src[e] << "→" << a.dst[e] << ", |r| "
                       << edge_length(a, e) << ") has no partner";
  }
}

const Mat3d kIdentity = {{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
std::vector<int> identity_perm(Index n) {
  std::vector<int> p(n);
  for (Index i = 0; i < n; ++i)
    p[i] = int(i);
  return p;
}

TEST(CrystalGraph, SimpleCubicKeepsTheWholeSecondShellAsTies) {
  // 6 neighbours at a, 12 at a√2: k = 12 reaches into the second shell, so all 18 stay. The
  // 18 self-images are 9 undirected edges, each once per direction.
  const PeriodicGraph g = crystal::build_periodic_graph(simple_cubic(2.0));
  ASSERT_EQ(g.num_edges(), 18);
  const std::vector<double> len = sorted_lengths(g);
  for (int e = 0; e < 18; ++e)
    EXPECT_NEAR(len[e], e < 6 ? 2.0 : 2.0 * std::sqrt(2.0), kTol);
  // The lattice self-loops ±a, ±b, ±c are nearest neighbours already: nothing is added.
  GraphOptions no_lattice;
  no_lattice.use_lattice = false;
  EXPECT_EQ(crystal::build_periodic_graph(simple_cubic(2.0), no_lattice).num_edges(), 18);
  // k = 6 stops at the first shell; k = 7 takes the whole second one.
  GraphOptions k6 = no_lattice, k7 = no_lattice;
  k6.max_neighbors = 6;
  k7.max_neighbors = 7;
  EXPECT_EQ(crystal::build_periodic_graph(simple_cubic(2.0), k6).num_edges(), 6);
  EXPECT_EQ(crystal::build_periodic_graph(simple_cubic(2.0), k7).num_edges(), 18);
}

TEST(CrystalGraph, ReferenceSelfImagesAppearTwicePerDirection) {
  // The reference keeps n and −n of a self-image as two undirected edges and emits both ways.
  GraphOptions ref;
  ref.reference_self_images = true;
  EXPECT_EQ(crystal::build_periodic_graph(simple_cubic(2.0), ref).num_edges(), 36);
  EXPECT_EQ(crystal::build_periodic_graph(fcc_primitive(4.0), ref).num_edges(), 24);
  // Conventional fcc: nearest neighbours are other atoms (unchanged); the lattice self-loops
  // ±a, ±b, ±c are added as +a, +b, +c only, emitted both ways: the same 72 edges.
  EXPECT_EQ(crystal::build_periodic_graph(fcc_conventional(4.0), ref).num_edges(), 72);
}

TEST(CrystalGraph, TiesSurviveRoundingInARotatedCell) {
  // After a generic rotation the 12 second-shell distances differ in the last bits; the tie
  // tolerance must still keep all of them.
  GraphOptions k7;
  k7.max_neighbors = 7;
  k7.use_lattice = false;
  const PeriodicGraph g =
      crystal::build_periodic_graph(rotated(simple_cubic(2.0), random_rotation(5)), k7);
  EXPECT_EQ(g.num_edges(), 18);
  // CsCl-type cell: each atom's 8 nearest are the other atom's images. With k = 5 all 8 tie;
  // in rotated cells their computed distances differ by rounding.
  GraphOptions k5 = k7;
  k5.max_neighbors = 5;
  const crystal::Structure cscl = make_structure({{{3.0, 0, 0}, {0, 3.0, 0}, {0, 0, 3.0}}},
                                                 {55, 17}, {{0, 0, 0}, {0.5, 0.5, 0.5}});
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const PeriodicGraph c = crystal::build_periodic_graph(rotated(cscl, random_rotation(seed)), k5);
    EXPECT_EQ(c.num_edges(), 16) << "rotation " << seed;
  }
}

TEST(CrystalGraph, FccPrimitiveAndConventionalCells) {
  const double a = 4.0;
  // Primitive: the 12 nearest neighbours at a/√2 are self-images; lat1..3 are among them.
  const PeriodicGraph p = crystal::build_periodic_graph(fcc_primitive(a));
  ASSERT_EQ(p.num_edges(), 12);
  for (Index e = 0; e < 12; ++e)
    EXPECT_NEAR(edge_length(p, e), a / std::sqrt(2.0), kTol);
  // Conventional: 4 atoms × 12 neighbours, plus ±a, ±b, ±c self-loops (length a, not nearest
  // neighbours) on every atom.
  const PeriodicGraph c = crystal::build_periodic_graph(fcc_conventional(a));
  EXPECT_EQ(c.num_edges(), 4 * 12 + 4 * 6);
  for (Index d : out_degree(c))
    EXPECT_EQ(d, 18);
  GraphOptions no_lattice;
  no_lattice.use_lattice = false;
  const PeriodicGraph c0 = crystal::build_periodic_graph(fcc_conventional(a), no_lattice);
  EXPECT_EQ(c0.num_edges(), 48);
  for (Index e = 0; e < c0.num_edges(); ++e)
    EXPECT_NEAR(edge_length(c0, e), a / std::sqrt(2.0), kTol);
}

TEST(CrystalGraph, TriclinicMatchesBruteForceNearestNeighbours) {
  const crystal::Structure s = triclinic();
  GraphOptions opt;
  opt.use_lattice = false;
  const int k = opt.max_neighbors;
  const PeriodicGraph g = crystal::build_periodic_graph(s, opt);
  const int N = int(s.species.size());
  // Brute force over images |n| ≤ 4 (> 3 × the k-th distance over the plane spacings here).
  std::vector<std::vector<std::pair<double, std::array<double, 3>>>> knn(N);
  for (int i = 0; i < N; ++i) {
    std::vector<std::tuple<double, int, std::array<double, 3>>> all;
    for (int n0 = -4; n0 <= 4; ++n0)
      for (int n1 = -4; n1 <= 4; ++n1)
        for (int n2 = -4; n2 <= 4; ++n2)
          for (int j = 0; j < N; ++j) {
            if (i == j && n0 == 0 && n1 == 0 && n2 == 0) continue;
            const double f[3] = {s.frac[j][0] + n0 - s.frac[i][0], s.frac[j][1] + n1 - s.frac[i][1],
                                 s.frac[j][2] + n2 - s.frac[i][2]};
            std::array<double, 3> r{};
            for (int a = 0; a < 3; ++a)
              for (int c = 0; c < 3; ++c)
                r[c] += f[a] * s.lattice[a][c];
            all.emplace_back(std::sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]), j, r);
          }
    std::sort(all.begin(), all.end(),
              [](const auto& x, const auto& y) { return std::get<0>(x) < std::get<0>(y); });
    const double kth = std::get<0>(all[k - 1]);
    for (const auto& [d, j, r] : all)
      if (d <= kth + 1e-6) knn[i].push_back({double(j), r});
  }
  // Each of i's k nearest is an edge out of i; each edge is in the k nearest of one end.
  auto has_edge = [&](int i, int j, const std::array<double, 3>& r) {
    for (Index e = 0; e < g.num_edges(); ++e)
      if (g.src[e] == i && g.dst[e] == j &&
          std::abs(g.displacement[3 * e] - r[0]) + std::abs(g.displacement[3 * e + 1] - r[1]) +
                  std::abs(g.displacement[3 * e + 2] - r[2]) <
              kTol)
        return true;
    return false;
  };
  auto in_knn = [&](int i, int j, const double* r) {
    for (const auto& [jj, rr] : knn[i])
      if (int(jj) == j &&
          std::abs(rr[0] - r[0]) + std::abs(rr[1] - r[1]) + std::abs(rr[2] - r[2]) < kTol)
        return true;
    return false;
  };
  for (int i = 0; i < N; ++i) {
    EXPECT_EQ(knn[i].size(), std::size_t(k)) << "no ties expected in this cell";
    for (const auto& [j, r] : knn[i])
      EXPECT_TRUE(has_edge(i, int(j), r));
  }
  for (Index e = 0; e < g.num_edges(); ++e) {
    const double* r = &g.displacement[3 * e];
    const double back[3] = {-r[0], -r[1], -r[2]};
    EXPECT_TRUE(in_knn(int(g.src[e]), int(g.dst[e]), r) ||
                in_knn(int(g.dst[e]), int(g.src[e]), back))
        << "edge " << e;
  }
  // Both directions, adjacent: i→j with r then j→i with −r.
  for (Index e = 0; e < g.num_edges(); e += 2) {
    EXPECT_EQ(g.src[e], g.dst[e + 1]);
    EXPECT_EQ(g.dst[e], g.src[e + 1]);
    for (int c = 0; c < 3; ++c)
      EXPECT_EQ(g.displacement[3 * e + c], -g.displacement[3 * (e + 1) + c]);
  }
}

TEST(CrystalGraph, LatticeTripleConventions) {
  // Simple cubic: ties everywhere; the lexicographic order picks −a, −b, −c, which is
  // left-handed, so all three flip to a, b, c.
  const auto cubic = crystal::lattice_triple(simple_cubic(3.0));
  EXPECT_EQ(cubic.image[0], (Image{1, 0, 0}));
  EXPECT_EQ(cubic.image[1], (Image{0, 1, 0}));
  EXPECT_EQ(cubic.image[2], (Image{0, 0, 1}));
  // Hexagonal a = 3, c = 5: ±a, ±b, ±(a+b) tie at 3 Å. First −a−b, then −a (60° from it), then
  // −c (90°, no flip); (−a−b)×(−a)·(−c) = (a×b)·c > 0 keeps the signs.
  const double h = 3.0 * std::sqrt(3.0) / 2.0;
  const auto hex = crystal::lattice_triple(
      make_structure({{{3.0, 0, 0}, {-1.5, h, 0}, {0, 0, 5.0}}}, {6}, {{0, 0, 0}}));
  EXPECT_EQ(hex.image[0], (Image{-1, -1, 0}));
  EXPECT_EQ(hex.image[1], (Image{-1, 0, 0}));
  EXPECT_EQ(hex.image[2], (Image{0, 0, -1}));
  // Triclinic: lat1 is the shortest lattice vector; angles with lat1 ≤ 90°; right-handed.
  const crystal::Structure t = triclinic();
  const auto tri = crystal::lattice_triple(t);
  double shortest = 1e300;
  for (int n0 = -3; n0 <= 3; ++n0)
    for (int n1 = -3; n1 <= 3; ++n1)
      for (int n2 = -3; n2 <= 3; ++n2) {
        if (n0 == 0 && n1 == 0 && n2 == 0) continue;
        double r2 = 0;
        for (int c = 0; c < 3; ++c) {
          const double x = n0 * t.lattice[0][c] + n1 * t.lattice[1][c] + n2 * t.lattice[2][c];
          r2 += x * x;
        }
        shortest = std::min(shortest, std::sqrt(r2));
      }
  const auto& v = tri.vector;
  auto dot = [](const std::array<double, 3>& a, const std::array<double, 3>& b) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  };
  EXPECT_NEAR(std::sqrt(dot(v[0], v[0])), shortest, kTol);
  EXPECT_LE(std::sqrt(dot(v[0], v[0])), std::sqrt(dot(v[1], v[1])));
  EXPECT_LE(std::sqrt(dot(v[1], v[1])), std::sqrt(dot(v[2], v[2])));
  EXPECT_GE(dot(v[0], v[1]), 0.0);
  EXPECT_GE(dot(v[0], v[2]), 0.0);
  const std::array<double, 3> c01 = {v[0][1] * v[1][2] - v[0][2] * v[1][1],
                                     v[0][2] * v[1][0] - v[0][0] * v[1][2],
                                     v[0][0] * v[1][1] - v[0][1] * v[1][0]};
  EXPECT_GT(dot(c01, v[2]), 1.0);
}

TEST(CrystalGraph, RotationTranslationPermutationAndLatticeShift) {
  const crystal::Structure s = triclinic();
  const PeriodicGraph g = crystal::build_periodic_graph(s);
  const auto perm0 = identity_perm(g.num_nodes());
  // Rotation: the same edges (fractions unchanged), vectors rotated; so is the lattice triple.
  const Mat3d R = random_rotation(11);
  const PeriodicGraph gr = crystal::build_periodic_graph(rotated(s, R));
  expect_same_edges(g, gr, perm0, R);
  for (int k = 0; k < 3; ++k)
    for (int i = 0; i < 3; ++i) {
      double Rv = 0;
      for (int c = 0; c < 3; ++c)
        Rv += R[i][c] * g.lattice[3 * k + c];
      EXPECT_NEAR(gr.lattice[3 * k + i], Rv, kTol);
    }
  // Translation with re-wrapping: the same vectors between the same atoms.
  expect_same_edges(g, crystal::build_periodic_graph(translated(s, {0.37, -0.81, 0.55})), perm0,
                    kIdentity);
  // Permutation: the same edges between the renamed atoms.
  const std::vector<int> perm = {2, 0, 1};
  expect_same_edges(g, crystal::build_periodic_graph(permuted(s, perm)), perm, kIdentity);
  // Atoms moved by whole lattice vectors, left unwrapped.
  crystal::Structure shifted = s;
  shifted.frac[0][0] += 2;
  shifted.frac[1][2] -= 1;
  shifted.frac[2][1] += 3;
  expect_same_edges(g, crystal::build_periodic_graph(shifted), perm0, kIdentity);
}

TEST(CrystalGraph, UnimodularChangeOfBasis) {
  const crystal::Structure s = triclinic();
  const PeriodicGraph g = crystal::build_periodic_graph(s);
  const auto perm0 = identity_perm(g.num_nodes());
  const std::vector<std::pair<Mat3d, Mat3d>> bases = {
      {{{{1, 1, 0}, {0, 1, 0}, {1, 0, 1}}}, {{{1, -1, 0}, {0, 1, 0}, {-1, 1, 1}}}},
      {{{{2, 1, 0}, {1, 1, 0}, {0, 0, 1}}}, {{{1, -1, 0}, {-1, 2, 0}, {0, 0, 1}}}},
      {{{{0, 1, 0}, {1, 0, 0}, {0, 0, -1}}}, {{{0, 1, 0}, {1, 0, 0}, {0, 0, -1}}}}};
  for (const auto& [U, Uinv] : bases) {
    const PeriodicGraph gb = crystal::build_periodic_graph(rebased(s, U, Uinv));
    expect_same_edges(g, gb, perm0, kIdentity);
    // The triple is intrinsic to a lattice without equal lengths or right angles.
    for (int i = 0; i < 9; ++i)
      EXPECT_NEAR(gb.lattice[i], g.lattice[i], kTol);
  }
}

TEST(CrystalGraph, SupercellRepeatsTheNeighbourEdges) {
  // Without lattice self-loops (whose triple changes with the cell, by construction) every atom
  // of an n-fold supercell sees what its original sees: the length multiset repeats n times.
  GraphOptions opt;
  opt.use_lattice = false;
  for (const crystal::Structure& s : {triclinic(), fcc_primitive(3.6), simple_cubic(2.5)}) {
    const std::vector<double> one = sorted_lengths(crystal::build_periodic_graph(s, opt));
    for (const std::array<int, 3>& n : {std::array<int, 3>{2, 1, 1}, std::array<int, 3>{1, 2, 3}}) {
      const int cells = n[0] * n[1] * n[2];
      const std::vector<double> big =
          sorted_lengths(crystal::build_periodic_graph(supercell(s, n), opt));
      ASSERT_EQ(big.size(), one.size() * cells);
      for (std::size_t e = 0; e < big.size(); ++e)
        EXPECT_NEAR(big[e], one[e / cells], kTol);
    }
  }
}

TEST(CrystalGraph, RandomCellsKeepTheirEdgesUnderEverySymmetry) {
  // Random skewed cells with 1–5 atoms (no ties by construction, almost surely).
  Rng rng(77);
  for (int trial = 0; trial < 10; ++trial) {
    SCOPED_TRACE(testing::Message() << "random cell " << trial);
    Mat3d L{};
    for (int a = 0; a < 3; ++a)
      for (int k = 0; k < 3; ++k)
        L[a][k] = a == k ? rng.uniform(3.0, 6.0) : rng.uniform(-1.2, 1.2);
    const int n = 1 + int(rng.uniform() * 5);
    std::vector<int> species;
    std::vector<std::array<double, 3>> frac;
    for (int i = 0; i < n; ++i) {
      species.push_back(1 + i);
      frac.push_back({rng.uniform(), rng.uniform(), rng.uniform()});
    }
    const crystal::Structure s = make_structure(L, species, frac);
    const PeriodicGraph g = crystal::build_periodic_graph(s);
    const auto perm0 = identity_perm(n);
    const Mat3d R = random_rotation(500 + trial);
    expect_same_edges(g, crystal::build_periodic_graph(rotated(s, R)), perm0, R);
    expect_same_edges(g,
                      crystal::build_periodic_graph(translated(
                          s, {rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1)})),
                      perm0, kIdentity);
    std::vector<int> perm = perm0;
    std::reverse(perm.begin(), perm.end());
    expect_same_edges(g, crystal::build_periodic_graph(permuted(s, perm)), perm, kIdentity);
    const Mat3d U = {{{1, 0, 1}, {0, 1, 0}, {-1, 1, 0}}},
                Uinv = {{{0, 1, -1}, {0, 1, 0}, {1, -1, 1}}};
    const PeriodicGraph gb = crystal::build_periodic_graph(rebased(s, U, Uinv));
    expect_same_edges(g, gb, perm0, kIdentity);
    for (int i = 0; i < 9; ++i)
      EXPECT_NEAR(gb.lattice[i], g.lattice[i], kTol);
  }
}

TEST(CrystalGraph, BatchShiftsNodesAndOffsets) {
  const PeriodicGraph a = crystal::build_periodic_graph(triclinic());
  const PeriodicGraph b = crystal::build_periodic_graph(fcc_conventional(3.6));
  const PeriodicGraph ab = crystal::batch_graphs({a, b});
  ASSERT_EQ(ab.num_graphs(), 2);
  EXPECT_EQ(ab.node_offsets, (std::vector<Index>{0, 3, 7}));
  EXPECT_EQ(ab.edge_offsets, (std::vector<Index>{0, a.num_edges(), a.num_edges() + b.num_edges()}));
  EXPECT_EQ(ab.src[a.num_edges()], b.src[0] + 3);
  EXPECT_EQ(ab.lattice.size(), 18u);
  const std::vector<Index> eg = ab.edge_graph();
  EXPECT_EQ(eg.front(), 0);
  EXPECT_EQ(eg.back(), 1);
  // A batch of batches is the same batch.
  const PeriodicGraph again = crystal::batch_graphs({crystal::batch_graphs({a}), b});
  EXPECT_EQ(again.src, ab.src);
  EXPECT_EQ(again.edge_offsets, ab.edge_offsets);
}

TEST(CrystalGraph, BadStructuresNameTheProblem) {
  crystal::Structure flat = simple_cubic(2.0);
  flat.lattice[2] = {1.0, 1.0, 0.0};
  flat.lattice[1] = {2.0, 2.0, 0.0};
  EXPECT_THROW(crystal::build_periodic_graph(flat), InputError);
  crystal::Structure overlap = fcc_conventional(3.6);
  overlap.frac[1] = overlap.frac[0];
  try {
    crystal::build_periodic_graph(overlap);
    FAIL() << "overlapping atoms accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("overlap"), std::string::npos) << e.what();
  }
  crystal::Structure mismatch = triclinic();
  mismatch.frac.pop_back();
  EXPECT_THROW(crystal::build_periodic_graph(mismatch), InputError);
}

TEST(CrystalGraphFeatures, ScalarsAndGaussians) {
  const PeriodicGraph g = crystal::build_periodic_graph(simple_cubic(2.0));
  const crystal::EdgeScalars s = crystal::comformer_edge_scalars(g);
  // The lattice triple is 2·(x, y, z): the cosines of an edge with it are its direction's
  // components, and every −0.75/|lat_k| is −0.375.
  for (Index e = 0; e < g.num_edges(); ++e) {
    const double len = edge_length(g, e);
    EXPECT_NEAR(s.inverse_distance[e], -0.75 / len, 1e-15);
    for (int k = 0; k < 3; ++k) {
      EXPECT_NEAR(s.lattice_cosine[3 * e + k], g.displacement[3 * e + k] / len, 1e-15);
    }
  }
  for (double v : crystal::lattice_inverse_length(g))
    EXPECT_DOUBLE_EQ(v, -0.375);
  // Centres on linspace(−4, 0, 256), γ = 1/Δ = 63.75: 1 at a centre, exp(−Δ/4) half-way.
  EXPECT_DOUBLE_EQ(crystal::rbf_gamma(-4.0, 0.0, 256), 63.75);
  EXPECT_DOUBLE_EQ(crystal::rbf_gamma(-1.0, 1.0, 256), 127.5);
  const double step = 4.0 / 255.0;
  const Tensord x = Tensord::from_host({2}, {-4.0, -4.0 + 3.5 * step});
  const std::vector<double> rbf =
      crystal::gaussian_expansion(x, crystal::rbf_centers<double>(-4.0, 0.0, 256),
                                  crystal::rbf_gamma(-4.0, 0.0, 256))
          .to_host();
  ASSERT_EQ(rbf.size(), 512u);
  EXPECT_NEAR(rbf[0], 1.0, 1e-15);
  EXPECT_NEAR(rbf[1], std::exp(-63.75 * step * step), 1e-15);
  EXPECT_NEAR(rbf[256 + 3], std::exp(-step / 4.0), 1e-14);
  EXPECT_NEAR(rbf[256 + 4], std::exp(-step / 4.0), 1e-14);
}

}  // namespace
}  // namespace pf::test
