// Reading the curves `nptsim calibrate` wrote (DIR/measured.json, format "nptsim-calibrate"
// version 1; docs/CALIBRATE.md) for `nptsim validate`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nptsim::replay {

struct MeasuredPoint {
  uint64_t footprint_bytes = 0;
  double ns_per_access = 0;
  double cycles_per_access = 0;  // 0 when calibrate could not measure the clock
};

struct MeasuredCurve {
  std::string name;  // tlb-4k, tlb-2m, cache
  std::string mode;  // line-per-page, every-line
  uint64_t page_bytes = 0;
  bool huge_backed = true;  // 2 MiB series: smaps confirmed 2 MiB pages throughout
  std::vector<MeasuredPoint> points;
};

struct MeasuredFile {
  std::string cpu, arch;
  bool virtual_machine = false;
  double freq_ghz = 0;
  uint64_t seed = 1;
  std::vector<MeasuredCurve> curves;
};

// Parses `path`; throws std::runtime_error naming the file and the field at fault
// ("m.json: series[1].points[3]: no number 'footprint_bytes'").
MeasuredFile read_measured_file(const std::string& path);

}  // namespace nptsim::replay
