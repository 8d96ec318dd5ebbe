#include "sim/validate/measured_file.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace nptsim::replay {

namespace {

using json = nlohmann::json;

// Field `key` of object `j` at `where`, of the JSON type `Want` asks for.
template <class Want>
Want field(const json& j, const std::string& where, const char* key) {
  const auto it = j.find(key);
  const bool ok = it != j.end() && (std::is_same_v<Want, std::string> ? it->is_string()
                                    : std::is_same_v<Want, bool>      ? it->is_boolean()
                                    : std::is_floating_point_v<Want>  ? it->is_number()
                                                                      : it->is_number_unsigned());
  if (!ok) throw std::runtime_error(where + ": no valid '" + key + "'");
  return it->get<Want>();
}

MeasuredCurve read_curve(const json& s, const std::string& where) {
  MeasuredCurve c;
  c.name = field<std::string>(s, where, "name");
  c.mode = field<std::string>(s, where, "mode");
  c.page_bytes = field<uint64_t>(s, where, "page_bytes");
  if (s.contains("huge_backed")) c.huge_backed = field<bool>(s, where, "huge_backed");
  const auto pts = s.find("points");
  if (pts == s.end() || !pts->is_array()) throw std::runtime_error(where + ": no 'points' array");
  for (size_t i = 0; i < pts->size(); ++i) {
    const std::string at = where + ".points[" + std::to_string(i) + "]";
    MeasuredPoint p;
    p.footprint_bytes = field<uint64_t>((*pts)[i], at, "footprint_bytes");
    p.ns_per_access = field<double>((*pts)[i], at, "ns_per_access");
    p.cycles_per_access = field<double>((*pts)[i], at, "cycles_per_access");
    if (p.footprint_bytes == 0 || !(p.ns_per_access > 0))
      throw std::runtime_error(at + ": footprint and time must be positive");
    c.points.push_back(p);
  }
  return c;
}

}  // namespace

MeasuredFile read_measured_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot read");
  const json j = json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    throw std::runtime_error(path + ": not JSON (expected nptsim calibrate's measured.json)");
  if (j.value("format", "") != "nptsim-calibrate" || j.value("version", 0) != 1) {
    throw std::runtime_error(path +
                             ": not an nptsim calibrate file (format \"nptsim-calibrate\", "
                             "version 1)");
  }
  MeasuredFile m;
  const auto host = j.find("host");
  if (host == j.end() || !host->is_object()) throw std::runtime_error(path + ": no 'host' object");
  m.cpu = field<std::string>(*host, path + ": host", "cpu");
  m.arch = field<std::string>(*host, path + ": host", "arch");
  m.virtual_machine = field<bool>(*host, path + ": host", "virtual_machine");
  m.freq_ghz = field<double>(*host, path + ": host", "freq_ghz");
  if (j.contains("pattern")) m.seed = field<uint64_t>(j["pattern"], path + ": pattern", "seed");
  const auto series = j.find("series");
  if (series == j.end() || !series->is_array())
    throw std::runtime_error(path + ": no 'series' array");
  for (size_t i = 0; i < series->size(); ++i)
    m.curves.push_back(read_curve((*series)[i], path + ": series[" + std::to_string(i) + "]"));
  return m;
}

}  // namespace nptsim::replay
