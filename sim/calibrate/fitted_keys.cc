#include "sim/calibrate/fitted_keys.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

#include "models/core/common/size_parse.h"

namespace nptsim::calibrate {

namespace {

// The comment of a fitted structure's associativity: written with its size so that the fitted
// preset layers over any base preset (whose ways might not divide the fitted size).
const char* const kWaysNotMeasured =
    "estimate: associativity is not measured; the built-in default's, so that the fitted size "
    "divides into whole sets";

// A step between two levels counts when it is at least this many cycles and this share of the
// level below: smaller steps are within run-to-run noise of a chase on a shared machine
// (estimate: repeated full runs on one host differ by a few percent).
constexpr double kMinStepCycles = 1.5;
constexpr double kMinStepShare = 0.10;
constexpr int kMaxCacheLevels = 4;  // L1, L2, LLC, DRAM
constexpr int kMaxTlbLevels = 4;    // L1 TLB, L2 TLB, walk with PTEs cached, walk beyond

std::string fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

// Whether every step of `f` is significant and observed: a point at 1.5 x its capacity or more.
bool plausible(const LevelFit& f, const std::vector<CurvePoint>& pts) {
  double max_x = 0;
  for (const auto& p : pts) max_x = std::max(max_x, p.x);
  for (size_t j = 0; j + 1 < f.latencies.size(); ++j) {
    const double lo = f.latencies[j], step = f.latencies[j + 1] - lo;
    if (step < std::max(kMinStepCycles, kMinStepShare * std::fabs(lo))) return false;
    if (max_x < 1.5 * f.sizes[j]) return false;
  }
  return true;
}

// The plausible fit of 1..max_levels levels with the least Bayesian information criterion
// (n ln(RSS/n) + p ln n, p = 2k - 1 unknowns): more levels only when they explain clearly more.
std::optional<LevelFit> choose_fit(const std::vector<CurvePoint>& pts, int max_levels) {
  std::optional<LevelFit> best;
  double best_bic = 0;
  const double n = static_cast<double>(pts.size());
  for (int k = 1; k <= max_levels; ++k) {
    auto f = fit_levels(pts, k);
    if (!f || !plausible(*f, pts)) continue;
    const double bic = n * std::log(std::max(f->rms * f->rms, 1e-12)) + (2 * k - 1) * std::log(n);
    if (!best || bic < best_bic) best = f, best_bic = bic;
  }
  return best;
}

class Mapper {
 public:
  Mapper(const FitInput& in, const Rounding& r, FitResult& out) : in_(in), r_(r), out_(out) {}

  void clock() {
    if (in_.freq_ghz <= 0) {
      out_.notes.push_back("core.freq_ghz: the core clock is unknown; latencies stay in ns");
      return;
    }
    key("core.freq_ghz", fmt("%.2f", in_.freq_ghz),
        in_.freq_measured
            ? "core clock from a timed chain of dependent adds: " + fmt("%.3f", in_.freq_ghz) +
                  " GHz"
            : "core clock from /proc/cpuinfo 'cpu MHz' (not timed): " + fmt("%.3f", in_.freq_ghz) +
                  " GHz");
  }

  void caches() {
    if (in_.cache.empty()) return;
    auto f = choose_fit(in_.cache, kMaxCacheLevels);
    if (!f || f->latencies.size() < 2) {
      out_.notes.push_back("cache: no level boundary found in the measured range");
      return;
    }
    const size_t k = f->latencies.size();
    const char* const prefix[] = {"mem.l1d", "mem.l2", "mem.llc"};
    const uint32_t ways[] = {r_.l1d_ways, r_.l2_ways, r_.llc_ways};
    // Each level below the last is a cache; the last is DRAM only when all 4 levels were found
    // (with fewer, the last could be the LLC or DRAM, and it is not mapped).
    const size_t mapped = k - 1;
    for (size_t j = 0; j < mapped; ++j) {
      const std::string level = "cache level " + std::to_string(j + 1);
      key(std::string(prefix[j]) + ".size",
          format_size_compact(round_to_multiple(f->sizes[j], uint64_t{ways[j]} * r_.line_bytes)),
          level + " capacity, where its plateau of the cache series ends: " +
              format_size(static_cast<uint64_t>(f->sizes[j])));
      key(std::string(prefix[j]) + ".ways", std::to_string(ways[j]), kWaysNotMeasured);
      key(std::string(prefix[j]) + ".latency", cycles(f->latencies[j]),
          level + " latency, its plateau of the cache series: " + cycles_text(f->latencies[j]));
    }
    if (k == kMaxCacheLevels) {
      key("mem.dram_latency", cycles(f->latencies[k - 1]),
          "latency beyond the last cache level, the cache series' last plateau: " +
              cycles_text(f->latencies[k - 1]));
    } else {
      out_.notes.push_back("cache: " + std::to_string(k) +
                           " levels found, not 4 (L1, L2, LLC, DRAM): only the first " +
                           std::to_string(mapped) + " mapped");
    }
  }

  void tlb(const std::vector<CurvePoint>& raw, const std::string& series, bool keys) {
    if (raw.empty()) return;
    // Translation's share: the cache series at the footprint of the lines touched (one 64-byte
    // line per page) is what the same number of lines costs with few TLB misses.
    std::vector<CurvePoint> t;
    double floor_y = raw[0].y;
    for (const auto& p : raw) floor_y = std::min(floor_y, p.y);
    for (const auto& p : raw) {
      const double base = in_.cache.empty() ? floor_y : interpolate_log(in_.cache, p.x * 64);
      t.push_back({p.x, p.y - base, p.y});
    }
    auto f = choose_fit(t, kMaxTlbLevels);
    if (!f || f->latencies.size() < 2) {
      out_.notes.push_back(series + ": no TLB reach found in the measured range");
      return;
    }
    const size_t k = f->latencies.size();
    const double l0 = f->latencies[0];
    derived(series + ".l1_reach_pages", f->sizes[0], "pages",
            "where the translation cost first steps up (L1 TLB reach)");
    if (keys) {
      key("tlb.l1d.entries", std::to_string(round_to_multiple(f->sizes[0], r_.tlb_l1d_ways)),
          "L1 TLB reach, where the " + series +
              " translation cost first steps up: " + fmt("%.0f", f->sizes[0]) + " pages");
      key("tlb.l1d.ways", std::to_string(r_.tlb_l1d_ways), kWaysNotMeasured);
    }
    if (k < 3) {
      out_.notes.push_back(series + ": one step only; the L2 TLB reach is not in the range");
      return;
    }
    derived(series + ".l2_reach_pages", f->sizes[1], "pages",
            "where the translation cost steps up again (L2 TLB reach)");
    derived(series + ".l2_hit_cycles", f->latencies[1] - l0, "cycles",
            "cost of an L1 TLB miss that hits the L2 TLB");
    derived(series + ".walk_cycles", f->latencies[2] - l0, "cycles",
            "cost of an L2 TLB miss (a page walk) beyond the L2 TLB reach");
    if (k == 4)
      derived(series + ".walk_cycles_far", f->latencies[3] - l0, "cycles",
              "walk cost beyond " + fmt("%.0f", f->sizes[2]) + " pages (PTEs missing caches)");
    if (!keys) return;
    key("tlb.l2.entries", std::to_string(round_to_multiple(f->sizes[1], r_.tlb_l2_ways)),
        "L2 TLB reach, where the " + series +
            " translation cost steps up a second time: " + fmt("%.0f", f->sizes[1]) + " pages");
    key("tlb.l2.ways", std::to_string(r_.tlb_l2_ways), kWaysNotMeasured);
    key("tlb.l2.latency", cycles(f->latencies[1] - l0),
        "L2 TLB hit penalty, the " + series +
            " step after the L1 TLB reach: " + cycles_text(f->latencies[1] - l0));
  }

 private:
  void key(const std::string& k, const std::string& v, const std::string& what) {
    out_.keys.push_back({k, v, what});
  }
  void derived(const std::string& n, double v, const std::string& unit, const std::string& w) {
    out_.derived.push_back({n, v, unit, w});
  }
  static std::string cycles(double c) { return std::to_string(std::lround(std::max(0.0, c))); }
  std::string cycles_text(double c) const {
    return fmt("%.1f cycles", c) + (in_.freq_ghz > 0 ? fmt(" (%.2f ns)", c / in_.freq_ghz) : "");
  }

  const FitInput& in_;
  const Rounding& r_;
  FitResult& out_;
};

}  // namespace

uint64_t round_to_multiple(double v, uint64_t m) {
  if (m == 0) m = 1;
  const double q = std::round(v / static_cast<double>(m));
  return static_cast<uint64_t>(std::max(1.0, q)) * m;
}

FitResult fit_calibration(const FitInput& in, const Rounding& r) {
  FitResult out;
  Mapper m(in, r, out);
  m.clock();
  m.caches();
  m.tlb(in.tlb4k, "tlb-4k", true);
  m.tlb(in.tlb2m, "tlb-2m", false);
  return out;
}

}  // namespace nptsim::calibrate
