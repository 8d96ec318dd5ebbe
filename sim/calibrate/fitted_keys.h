// From the measured curves to nptsim parameter values (pure functions): fits the cache series
// and the TLB series (fit.h) and maps what they show to configuration keys, rounded to values
// the simulator accepts. A value the curves do not show is not given: it stays the base preset's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/calibrate/fit.h"

namespace nptsim::calibrate {

struct FitInput {
  std::vector<CurvePoint> cache;  // x: footprint bytes; y: cycles per access; empty: not measured
  std::vector<CurvePoint> tlb4k;  // x: pages
  std::vector<CurvePoint> tlb2m;  // x: pages
  double freq_ghz = 0;            // 0: unknown (then no core.freq_ghz)
  bool freq_measured = false;     // timed, not read from /proc/cpuinfo
};

// What a fitted size must be a multiple of: ways x line bytes (caches), ways (TLBs). The ways
// are those of the base configuration the fitted preset layers over (calibrate does not measure
// associativity).
struct Rounding {
  uint32_t tlb_l1d_ways = 4, tlb_l2_ways = 12;
  uint32_t l1d_ways = 8, l2_ways = 4, llc_ways = 16;
  uint32_t line_bytes = 64;
};

struct FittedKey {
  std::string key, value;  // an nptsim configuration key and its value as an INI file writes it
  std::string what;        // what was measured, for the preset's comment
};

struct DerivedValue {  // a fitted number with no configuration key (reported, not configured)
  std::string name;
  double value;
  std::string unit, what;
};

struct FitResult {
  std::vector<FittedKey> keys;
  std::vector<DerivedValue> derived;
  std::vector<std::string> notes;  // what could not be fitted, and why
};

FitResult fit_calibration(const FitInput& in, const Rounding& r);

// `v` rounded to the nearest positive multiple of `m` (m >= 1).
uint64_t round_to_multiple(double v, uint64_t m);

}  // namespace nptsim::calibrate
