#include "io/atomic_output.hpp"
#include "io/vtk_image.hpp"

#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace pf::vtk {

namespace {

std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Shortest text that reads back to the same double, so ParaView's times equal ours exactly.
std::string exact(double value) {
  char buffer[32];
  for (int digits = 6; digits <= 17; ++digits) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
    if (std::stod(buffer) == value) break;
  }
  return buffer;
}

}  // namespace

PvdCollection::PvdCollection(std::string path) : path_(std::move(path)) {}

void PvdCollection::add(double time, const std::string& relative_file) {
  for (Entry& entry : entries_) {
    if (entry.file == relative_file) {
      entry.time = time;
      return;
    }
  }
  entries_.push_back({time, relative_file});
}

void PvdCollection::write() const {
  AtomicOutput output(path_);
  {
    std::ofstream out(output.temp_path(), std::ios::trunc);
    out << "<?xml version=\"1.0\"?>\n"
        << "<VTKFile type=\"Collection\" version=\"0.1\" byte_order=\"LittleEndian\">\n"
        << "  <Collection>\n";
    for (const Entry& entry : entries_) {
      out << "    <DataSet timestep=\"" << exact(entry.time) << "\" group=\"\" part=\"0\" file=\""
          << xml_escape(entry.file) << "\"/>\n";
    }
    out << "  </Collection>\n"
        << "</VTKFile>\n";
    out.close();
    if (!out) throw std::runtime_error(path_ + ": cannot write " + output.temp_path());
  }
  output.commit();
}

}  // namespace pf::vtk
