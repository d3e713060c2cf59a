// Writes a small smoke-like dataset in The Well's layout for the 3-D field pipeline test, without
// the simulator: a density blob rising through a closed box [0, 8]³ and a velocity stored as
// lower-face values (component d vanishes at index 0 along axis d, as in the reference's data).
// usage: make_smoke_fixture <out.h5> <cells per axis> <trajectories> <frames> [fields]
//   fields: "density,velocity" (default) or "density" (a dataset without velocity)
#include "data/well_writer.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

namespace {

constexpr double kLength = 8.0;
constexpr double kPi = 3.14159265358979323846;

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5 || argc > 6) {
    std::fprintf(stderr,
                 "usage: %s <out.h5> <cells per axis> <trajectories> <frames> [density|"
                 "density,velocity]\n",
                 argv[0]);
    return 2;
  }
  try {
    using pf::Index;
    const std::string path = argv[1];
    const Index n = std::atol(argv[2]), n_traj = std::atol(argv[3]), n_steps = std::atol(argv[4]);
    const bool velocity = argc < 6 || std::string(argv[5]) != "density";
    const double dx = kLength / double(n), dt = 0.75;

    pf::data::WellHeader header;
    header.dataset_name = "smoke_fixture";
    std::vector<double> centres;
    for (Index i = 0; i < n; ++i)
      centres.push_back((double(i) + 0.5) * dx);
    for (const char* axis : {"x", "y", "z"})
      header.axes.push_back({axis, centres, "wall"});
    for (Index t = 0; t < n_steps; ++t)
      header.time.push_back(6.0 + dt * double(t));
    header.n_traj = n_traj;
    header.fields.push_back({"density", 0});
    if (velocity) header.fields.push_back({"velocity", 1});
    header.producer = "make_smoke_fixture (tests/e2e)";
    pf::data::WellWriter writer(path, header);

    const Index points = n * n * n;
    std::vector<float> density(static_cast<size_t>(points)), vel(static_cast<size_t>(points * 3));
    for (Index b = 0; b < n_traj; ++b) {
      const double x0 = 4.0 + 0.8 * std::sin(1.7 * double(b)), y0 = 4.0 + 0.8 * std::cos(b);
      for (Index t = 0; t < n_steps; ++t) {
        const double rise = 0.12 * dt * double(t);  // the blob's centre climbs in z
        const double z0 = 2.0 + rise;
        for (Index i = 0; i < n; ++i)
          for (Index j = 0; j < n; ++j)
            for (Index k = 0; k < n; ++k) {
              const Index p = (i * n + j) * n + k;
              const double x = centres[size_t(i)], y = centres[size_t(j)], z = centres[size_t(k)];
              const double r2 = (x - x0) * (x - x0) + (y - y0) * (y - y0) + (z - z0) * (z - z0);
              density[size_t(p)] = float(std::exp(-r2 / 4.5));
              // Face coordinates along each component's own axis: zero on the wall at index 0.
              const double fx = double(i) * dx, fy = double(j) * dx, fz = double(k) * dx;
              const double a = 0.05 * (1.0 + 0.1 * double(b)), w = 0.12 * (1.0 + 0.02 * double(t));
              vel[size_t(p * 3 + 0)] = float(a * std::sin(kPi * fx / kLength) * std::cos(z / 3));
              vel[size_t(p * 3 + 1)] = float(-a * std::sin(kPi * fy / kLength) * std::sin(x / 3));
              vel[size_t(p * 3 + 2)] =
                  float(w * std::sin(kPi * fz / kLength) * std::exp(-r2 / 9.0));
            }
        writer.write_frame("density", b, t, density.data());
        if (velocity) writer.write_frame("velocity", b, t, vel.data());
      }
    }
    writer.commit();
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_smoke_fixture: %s\n", e.what());
    return 1;
  }
}
