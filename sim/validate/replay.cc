#include "sim/validate/replay.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>

#include "sim/calibrate/chase_pattern.h"
#include "sim/calibrate/native_chase.h"
#include "sim/run/run_driver.h"
#include "traces/gen/generator.h"

namespace nptsim::replay {

namespace {

constexpr uint64_t kGiB = uint64_t{1} << 30;

calibrate::ChaseSpec chase_spec(const MeasuredCurve& c, uint64_t footprint, uint64_t seed) {
  calibrate::ChaseSpec spec;
  if (c.mode == "line-per-page") {
    spec.mode = calibrate::ChaseMode::LinePerPage;
  } else if (c.mode == "every-line") {
    spec.mode = calibrate::ChaseMode::EveryLine;
  } else {
    throw std::runtime_error("series " + c.name + ": unknown mode '" + c.mode + "'");
  }
  spec.page_bytes = c.page_bytes;
  spec.footprint_bytes = footprint;
  spec.seed = seed;
  if (auto why = calibrate::validate(spec))
    throw std::runtime_error("series " + c.name + ": " + *why);
  return spec;
}

// The platform of one point: guest RAM twice the footprint, at least 1 GiB; the guest maps
// 2 MiB pages for the 2 MiB series. 4 KiB host pages come from the lazy backend: the same
// tables as alloc's for the pages touched, allocated in the warm-up lap instead of for all of
// guest RAM up front (much faster to build).
PlatformConfig point_platform(const ReplaySetup& s, const MeasuredCurve& c, uint64_t footprint) {
  PlatformConfig pc = s.platform;
  const uint64_t ram = std::max<uint64_t>(kGiB, (2 * footprint + kGiB - 1) / kGiB * kGiB);
  const bool huge = c.page_bytes >= calibrate::kHugePageBytes;
  auto four_k = [](BackendKind b) { return b == BackendKind::Alloc ? BackendKind::Lazy : b; };
  if (s.two_dimensional) {
    pc.scheme = "nested";
    pc.guest.huge_pages = huge;
    pc.layout = default_layout(ram, four_k(s.host_backing));
  } else {
    // One-dimensional: the chase's pages are stage-2 pages: 4 KiB frames, or the linear
    // backend's blocks (1 GiB where aligned: more than the 2 MiB measured).
    pc.scheme = "stage2";
    pc.layout = default_layout(ram, huge ? BackendKind::Linear : BackendKind::Lazy);
  }
  return pc;
}

}  // namespace

double CurveComparison::mean_abs_error() const {
  double sum = 0;
  for (const PointComparison& p : points) sum += std::fabs(p.relative_error());
  return points.empty() ? 0 : sum / static_cast<double>(points.size());
}

std::string replay_description(const ReplaySetup& s, const MeasuredCurve& c) {
  const bool huge = c.page_bytes >= calibrate::kHugePageBytes;
  if (s.two_dimensional) {
    return std::string("guest-virtual chase, guest ") + (huge ? "2 MiB" : "4 KiB") +
           " pages over stage 2 (" +
           (s.host_backing == BackendKind::Linear ? "host blocks of 1 GiB / 2 MiB"
                                                  : "host pages of 4 KiB") +
           ")";
  }
  return std::string("guest-physical chase over stage 2 only (") +
         (huge ? "linear backend: 1 GiB blocks, not 2 MiB" : "4 KiB pages") + ")";
}

CurveComparison replay_curve(const ReplaySetup& s, const MeasuredCurve& c,
                             const std::function<void(size_t, size_t)>& progress) {
  CurveComparison out{c.name, c.mode, c.page_bytes, {}};
  const uint64_t base = s.two_dimensional ? trace::kDefaultGvaBase : 0;
  for (size_t i = 0; i < c.points.size(); ++i) {
    const MeasuredPoint& m = c.points[i];
    auto lap = std::make_shared<const std::vector<uint64_t>>(
        calibrate::chase_lap(chase_spec(c, m.footprint_bytes, s.seed)));
    RunJob job;
    job.platforms = {point_platform(s, c, m.footprint_bytes)};
    job.source = trace::lap_source(
        lap, base, 1 + s.laps,
        s.two_dimensional ? trace::AddrKind::GuestVirtual : trace::AddrKind::GuestPhysical);
    job.timing = false;  // the functional model's cycles are the timing model's (tested)
    job.warmup = lap->size();
    job.vcpus = 1;
    job.progress = false;
    const RunResult r = run_job(job).front();
    PointComparison p;
    p.footprint_bytes = m.footprint_bytes;
    p.slots = lap->size();
    p.accesses = r.accesses;
    p.simulated_cycles = static_cast<double>(r.total_cycles) / static_cast<double>(r.accesses);
    p.simulated_ns = p.simulated_cycles / r.freq_ghz;
    p.measured_ns = m.ns_per_access;
    const double n = static_cast<double>(r.accesses);
    p.l1_tlb_misses = static_cast<double>(r.l1d.misses) / n;
    p.l2_tlb_misses = static_cast<double>(r.l2.misses) / n;
    out.points.push_back(p);
    if (progress) progress(i + 1, c.points.size());
  }
  return out;
}

}  // namespace nptsim::replay
