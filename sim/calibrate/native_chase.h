// Native measurements on the machine nptsim runs on: the latency of a pointer chase over a
// chase_pattern.h lap in freshly mapped memory of the chosen page size, and the core clock.
// Linux only (mmap, madvise, /proc/self/smaps). Failures are returned, never thrown or aborted.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "sim/calibrate/chase_pattern.h"

namespace nptsim::calibrate {

constexpr uint64_t kHugePageBytes = uint64_t{2} << 20;

struct ChaseTiming {
  // One timed run lasts at least this long and makes at least min_accesses accesses (not whole
  // laps: each run continues the cycle, and a part of a random lap is a fair sample of it).
  // 5 ms: clock_gettime's ~25 ns overhead is then below 0.001 %, and the run is short against a
  // scheduler time slice (a few ms), so that on a loaded machine some runs are not preempted.
  double min_seconds = 0.005;
  // 10^4 random slots: the mean within a few percent even for a mix of hits and misses.
  uint64_t min_accesses = 10000;
  // Timed runs after the warm-up: runs without an involuntary context switch are wanted, up to
  // 4 x repeat attempts; the minimum and the median of the clean ones (else of all) are kept.
  int repeat = 5;
  // Called after each timed run with the accesses it made (a progress display); may be empty.
  std::function<void(uint64_t)> on_accesses;
};

struct ChaseMeasurement {
  uint64_t accesses = 0;     // per timed run
  double ns_min = 0;         // ns per access, fastest run kept: interference only adds time
  double ns_median = 0;      // ns per access, median of the runs kept
  int clean_runs = 0;        // runs not preempted (0: all were, and all were kept)
  double huge_fraction = 0;  // 2 MiB pages: share of the region smaps shows backed by huge pages
};

// Maps the footprint of `spec` (4 KiB pages: MADV_NOHUGEPAGE; 2 MiB pages: a 2 MiB-aligned region
// with MADV_HUGEPAGE, its backing then read from /proc/self/smaps), writes the chain (each slot
// of the lap holds the address of the next), chases one lap to warm up, then times runs with
// CLOCK_MONOTONIC; unmaps before returning. Nothing on success, else why not.
std::optional<std::string> measure_chase(const ChaseSpec& spec, const ChaseTiming& timing,
                                         ChaseMeasurement& out);

// Involuntary context switches of the calling thread so far (getrusage; 0 when unavailable).
long involuntary_switches();

struct CoreClock {
  double ghz = 0;      // cycles per ns; 0 when unknown
  std::string method;  // how it was obtained
};

// A chain of dependent register adds (1 cycle each on every x86_64 and AArch64 core): after a
// warm-up of `seconds` (the clock ramps up), runs of about 1 ms for another `seconds`; the
// fastest run not preempted (else the fastest). Elsewhere, the "cpu MHz" of /proc/cpuinfo, and
// `method` says so.
CoreClock measure_core_clock(double seconds);

}  // namespace nptsim::calibrate
