// `nptsim validate`: the access patterns `nptsim calibrate` timed natively, replayed through
// nptsim's model, point by point: measured versus simulated time per access.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/core/platform/functional_platform.h"
#include "sim/validate/measured_file.h"

namespace nptsim::replay {

struct ReplaySetup {
  PlatformConfig platform;      // the preset's hardware, the architecture, core.window = 1
  bool two_dimensional = true;  // the measuring machine is a virtual machine: 2D walks
  BackendKind host_backing = BackendKind::Linear;  // how the host backs guest RAM (2D runs)
  uint64_t laps = 2;                               // measured laps, after one warm-up lap
  uint64_t seed = 1;                               // the chase's seed (calibrate's)
};

struct PointComparison {
  uint64_t footprint_bytes = 0, slots = 0, accesses = 0;
  double measured_ns = 0, simulated_ns = 0, simulated_cycles = 0;
  double l1_tlb_misses = 0, l2_tlb_misses = 0;  // per access, simulated (L1 = the L1 DTLB)
  double relative_error() const { return (simulated_ns - measured_ns) / measured_ns; }
};

struct CurveComparison {
  std::string name, mode;
  uint64_t page_bytes = 0;
  std::vector<PointComparison> points;
  double mean_abs_error() const;
};

// What the replay of `curve` runs: the mode and the backing, for the report.
std::string replay_description(const ReplaySetup& s, const MeasuredCurve& curve);

// Replays every point of `curve` (the same chase, by calibrate's chase_lap, as guest-virtual
// reads over guest tables when two-dimensional, else guest-physical reads over stage 2) in the
// functional model, whose cycle totals are the timing model's. `progress(i, n)` after each
// point. Throws std::runtime_error for a curve it cannot replay (unknown mode, bad footprint).
CurveComparison replay_curve(const ReplaySetup& s, const MeasuredCurve& curve,
                             const std::function<void(size_t, size_t)>& progress);

}  // namespace nptsim::replay
