#include "crystal/periodic_graph.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

namespace pf::crystal {
namespace {

double dot(const Vec3& a, const Vec3& b) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
double norm(const Vec3& a) {
  return std::sqrt(dot(a, a));
}
Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
Vec3 scaled(const Vec3& a, double s) {
  return {a[0] * s, a[1] * s, a[2] * s};
}

Vec3 image_vector(const Image& n, const Mat3& L) {
  return frac_to_cart({double(n[0]), double(n[1]), double(n[2])}, L);
}
Image negate(const Image& n) {
  return {-n[0], -n[1], -n[2]};
}
bool is_zero(const Image& n) {
  return n[0] == 0 && n[1] == 0 && n[2] == 0;
}
// Picks one of n and −n: the one whose first non-zero component is positive.
bool lexicographically_positive(const Image& n) {
  for (int a = 0; a < 3; ++a)
    if (n[a] != 0) return n[a] > 0;
  return false;
}
// Collinearity and coplanarity of lattice vectors are exact on their integer images.
bool collinear(const Image& a, const Image& b) {
  const auto ll = [](int v) { return static_cast<long long>(v); };
  return ll(a[1]) * b[2] == ll(a[2]) * b[1] && ll(a[2]) * b[0] == ll(a[0]) * b[2] &&
         ll(a[0]) * b[1] == ll(a[1]) * b[0];
}
bool coplanar(const Image& a, const Image& b, const Image& c) {
  const auto ll = [](int v) { return static_cast<long long>(v); };
  return ll(a[0]) * (ll(b[1]) * c[2] - ll(b[2]) * c[1]) -
             ll(a[1]) * (ll(b[0]) * c[2] - ll(b[2]) * c[0]) +
             ll(a[2]) * (ll(b[0]) * c[1] - ll(b[1]) * c[0]) ==
         0;
}

std::string display_name(const Structure& s) {
  return s.id.empty() ? "<unnamed structure>" : s.id;
}

struct Cell {
  Mat3 L;
  Vec3 spacing;       // distance between lattice planes, per axis
  double max_length;  // max(|a|, |b|, |c|)
};

Cell check_cell(const Structure& s) {
  const std::string name = display_name(s);
  if (s.species.empty())
    throw InputError(
        fmt::format("{}: periodic graph: expected at least one atom, found none", name));
  if (s.frac.size() != s.species.size())
    throw InputError(
        fmt::format("{}: periodic graph: expected one fractional position per atom "
                    "({}), found {}",
                    name, s.species.size(), s.frac.size()));
  Cell c{s.lattice, {}, 0.0};
  const Mat3& L = c.L;
  const double volume = determinant(L);
  const double scale = norm(L[0]) * norm(L[1]) * norm(L[2]);
  // Volume relative to the box of the edge lengths: 1e-10 is far below any real cell's
  // (|sin| of its angles) and far above rounding of a singular one.
  if (!(scale > 0) || !(std::abs(volume) > 1e-10 * scale))
    throw InputError(
        fmt::format("{}: periodic graph: expected a non-singular cell, found "
                    "volume {:.3e} Å³ for edge lengths {:.4g}, {:.4g}, {:.4g} Å",
                    name, volume, norm(L[0]), norm(L[1]), norm(L[2])));
  c.spacing = plane_spacings(L);
  c.max_length = std::max({norm(L[0]), norm(L[1]), norm(L[2])});
  return c;
}

// Visits every image n with |n_a| ≤ bound_a.
template <class F>
void for_each_image(const std::array<int, 3>& bound, F&& f) {
  for (int n0 = -bound[0]; n0 <= bound[0]; ++n0)
    for (int n1 = -bound[1]; n1 <= bound[1]; ++n1)
      for (int n2 = -bound[2]; n2 <= bound[2]; ++n2)
        f(Image{n0, n1, n2});
}

// |(Δf + n)_a| ≤ r / spacing_a for any vector of length ≤ r; |Δf_a| < 1 for wrapped
// coordinates.
std::array<int, 3> image_bound(const Cell& c, double r, int slack) {
  std::array<int, 3> b{};
  for (int a = 0; a < 3; ++a)
    b[a] = int(std::ceil(r / c.spacing[a])) + slack;
  return b;
}

struct Neighbor {
  double distance;
  int atom;
  Image image;
};

// Every (j, n) ≠ (i, 0) within r of each atom i.
std::vector<std::vector<Neighbor>> neighbors_within(const Structure& s, const Cell& c, double r) {
  const int N = int(s.species.size());
  std::vector<Vec3> x(N);
  for (int i = 0; i < N; ++i)
    x[i] = frac_to_cart(wrap_frac(s.frac[i]), c.L);
  std::vector<std::vector<Neighbor>> out(N);
  for_each_image(image_bound(c, r, 1), [&](const Image& n) {
    const Vec3 shift = image_vector(n, c.L);
    for (int i = 0; i < N; ++i)
      for (int j = 0; j < N; ++j) {
        if (j == i && is_zero(n)) continue;
        const Vec3 d{x[j][0] + shift[0] - x[i][0], x[j][1] + shift[1] - x[i][1],
                     x[j][2] + shift[2] - x[i][2]};
        const double dist = norm(d);
        if (dist < 1e-8)
          throw InputError(
              fmt::format("{}: periodic graph: atoms {} and {} (image {} {} {}) "
                          "overlap: {:.3e} Å apart, expected a positive distance",
                          display_name(s), i, j, n[0], n[1], n[2], dist));
        if (dist <= r) out[i].push_back({dist, j, n});
      }
  });
  return out;
}

// Ascending by length; lengths within `tol` of the previous one form a tie group, ordered by
// image lexicographically.
void sort_by_length(std::vector<Neighbor>& v, double tol) {
  std::sort(v.begin(), v.end(),
            [](const Neighbor& a, const Neighbor& b) { return a.distance < b.distance; });
  std::size_t start = 0;
  for (std::size_t k = 1; k <= v.size(); ++k)
    if (k == v.size() || v[k].distance - v[k - 1].distance > tol) {
      std::sort(v.begin() + start, v.begin() + k, [](const Neighbor& a, const Neighbor& b) {
        return std::tie(a.image, a.atom) < std::tie(b.image, b.atom);
      });
      start = k;
    }
}

// One undirected edge: i ≤ j, and for i = j the lexicographically positive one of ±n unless
// the reference's unfolded self-images are asked for.
struct EdgeKey {
  int i, j;
  Image n;
  bool operator<(const EdgeKey& o) const { return std::tie(i, j, n) < std::tie(o.i, o.j, o.n); }
};
EdgeKey canonical(int i, int j, const Image& n, bool fold_self_images) {
  if (j < i) return {j, i, negate(n)};
  if (i == j && fold_self_images && !lexicographically_positive(n)) return {i, i, negate(n)};
  return {i, j, n};
}

LatticeTriple lattice_triple(const Cell& c, double tol) {
  const double r = c.max_length + 0.01;
  std::vector<Neighbor> candidates;
  for_each_image(image_bound(c, r, 0), [&](const Image& n) {
    if (is_zero(n)) return;
    const double len = norm(image_vector(n, c.L));
    if (len <= r) candidates.push_back({len, 0, n});
  });
  sort_by_length(candidates, tol);
  LatticeTriple t{};
  t.image[0] = candidates[0].image;
  std::size_t k = 1;
  while (collinear(t.image[0], candidates[k].image))
    ++k;
  t.image[1] = candidates[k].image;
  while (coplanar(t.image[0], t.image[1], candidates[k].image))
    ++k;
  t.image[2] = candidates[k].image;
  for (int m = 0; m < 3; ++m)
    t.vector[m] = image_vector(t.image[m], c.L);
  // The reference flips when the angle exceeds 90° as computed; an exactly perpendicular pair
  // (cos within rounding of 0) is left alone, so rounding cannot decide the sign.
  const auto cosine = [](const Vec3& a, const Vec3& b) { return dot(a, b) / (norm(a) * norm(b)); };
  for (int m = 1; m < 3; ++m)
    if (cosine(t.vector[0], t.vector[m]) < -1e-10) {
      t.image[m] = negate(t.image[m]);
      t.vector[m] = scaled(t.vector[m], -1.0);
    }
  if (dot(cross(t.vector[0], t.vector[1]), t.vector[2]) < 0)
    for (int m = 0; m < 3; ++m) {
      t.image[m] = negate(t.image[m]);
      t.vector[m] = scaled(t.vector[m], -1.0);
    }
  return t;
}

}  // namespace

LatticeTriple lattice_triple(const Structure& s, double tie_tolerance) {
  return lattice_triple(check_cell(s), tie_tolerance);
}

std::vector<Index> PeriodicGraph::edge_graph() const {
  std::vector<Index> g(src.size());
  for (Index b = 0; b < num_graphs(); ++b)
    std::fill(g.begin() + edge_offsets[b], g.begin() + edge_offsets[b + 1], b);
  return g;
}

std::vector<Index> PeriodicGraph::node_graph() const {
  std::vector<Index> g(species.size());
  for (Index b = 0; b < num_graphs(); ++b)
    std::fill(g.begin() + node_offsets[b], g.begin() + node_offsets[b + 1], b);
  return g;
}

PeriodicGraph build_periodic_graph(const Structure& s, const GraphOptions& options) {
  const Cell cell = check_cell(s);
  const int k = options.max_neighbors;
  if (k < 1)
    throw InputError(fmt::format("{}: periodic graph: expected max_neighbors ≥ 1, found {}",
                                 display_name(s), k));
  const int N = int(s.species.size());

  // Grow the radius until every atom has k neighbours (the reference's schedule).
  double r = options.cutoff > 0 ? options.cutoff : cell.max_length;
  std::vector<std::vector<Neighbor>> nbrs;
  for (;;) {
    nbrs = neighbors_within(s, cell, r);
    std::size_t fewest = nbrs[0].size();
    for (const auto& v : nbrs)
      fewest = std::min(fewest, v.size());
    if (fewest >= std::size_t(k)) break;
    r = r < cell.max_length ? cell.max_length : 2 * r;
  }

  std::set<EdgeKey> edges;
  for (int i = 0; i < N; ++i) {
    auto& v = nbrs[i];
    std::sort(v.begin(), v.end(),
              [](const Neighbor& a, const Neighbor& b) { return a.distance < b.distance; });
    const double kth = v[k - 1].distance;
    for (const Neighbor& nb : v) {
      if (nb.distance > kth + options.tie_tolerance) break;
      edges.insert(canonical(i, nb.atom, nb.image, !options.reference_self_images));
    }
  }
  const LatticeTriple lat = lattice_triple(cell, options.tie_tolerance);
  if (options.use_lattice)
    for (int i = 0; i < N; ++i)
      for (const Image& n : lat.image)
        edges.insert(canonical(i, i, n, !options.reference_self_images));

  PeriodicGraph g;
  g.species = s.species;
  g.src.reserve(2 * edges.size());
  for (const EdgeKey& e : edges) {
    const Vec3 fi = wrap_frac(s.frac[e.i]), fj = wrap_frac(s.frac[e.j]);
    const Vec3 f{fj[0] + e.n[0] - fi[0], fj[1] + e.n[1] - fi[1], fj[2] + e.n[2] - fi[2]};
    const Vec3 d = frac_to_cart(f, cell.L);
    g.src.push_back(e.i);
    g.dst.push_back(e.j);
    g.displacement.insert(g.displacement.end(), d.begin(), d.end());
    g.image.push_back(e.n);
    g.src.push_back(e.j);
    g.dst.push_back(e.i);
    for (double x : d)
      g.displacement.push_back(-x);
    g.image.push_back(negate(e.n));
  }
  for (const Vec3& v : lat.vector)
    g.lattice.insert(g.lattice.end(), v.begin(), v.end());
  g.node_offsets = {0, Index(N)};
  g.edge_offsets = {0, g.num_edges()};
  return g;
}

PeriodicGraph batch_graphs(const std::vector<PeriodicGraph>& graphs) {
  PeriodicGraph b;
  for (const PeriodicGraph& g : graphs) {
    const Index node_shift = b.num_nodes();
    b.species.insert(b.species.end(), g.species.begin(), g.species.end());
    for (Index e = 0; e < g.num_edges(); ++e) {
      b.src.push_back(g.src[e] + node_shift);
      b.dst.push_back(g.dst[e] + node_shift);
    }
    b.displacement.insert(b.displacement.end(), g.displacement.begin(), g.displacement.end());
    b.image.insert(b.image.end(), g.image.begin(), g.image.end());
    b.lattice.insert(b.lattice.end(), g.lattice.begin(), g.lattice.end());
    for (Index k = 1; k <= g.num_graphs(); ++k) {
      b.node_offsets.push_back(node_shift + g.node_offsets[k]);
      b.edge_offsets.push_back(b.edge_offsets.back() + g.edge_offsets[k] - g.edge_offsets[k - 1]);
    }
  }
  return b;
}

}  // namespace pf::crystal
