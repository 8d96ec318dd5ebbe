// The results of one simulation run (one architecture x backend x mode), as the reports give
// them, and how they are gathered from a platform.
#pragma once

#include <cstdint>
#include <string>

#include "models/core/mmu/latency_histogram.h"
#include "models/core/platform/functional_platform.h"
#include "models/core/stats/stat_tree.h"
#include "models/core/tlb/tlb.h"
#include "models/core/tlb/walk_cache.h"

namespace nptsim {

struct RunResult {
  std::string arch, backend, mode, geometry, scheme;
  int levels = 0;
  uint64_t accesses = 0;  // measured (after warm-up)
  uint64_t warmup_accesses = 0;
  TlbStats l1d, l1i, l2;
  uint64_t walks = 0;
  uint64_t pte_reads = 0, pte_writes = 0;
  // Entries read per depth from the root: stage 2 (`levels` depths) in every run; stage 1
  // (`guest_levels` depths) in two-dimensional runs.
  uint64_t pte_reads_per_depth[kMaxLevels] = {};
  uint64_t s1_pte_reads_per_depth[kMaxLevels] = {};
  WalkCacheStats s2_walk_cache, s1_walk_cache;  // summed over vCPUs; s1 in two-dimensional runs
  LatencyHistogram walk_cycles;
  uint64_t faults_handled = 0, faults_unhandled = 0;
  uint64_t unhandled_by_kind[kFaultKindCount] = {};
  uint64_t frames_allocated = 0;   // host frames handed out (tables + data), build included
  uint64_t frames_during_run = 0;  // of which while the trace ran (lazy faults)
  uint64_t table_bytes = 0, data_bytes = 0;
  // Time (the core model, core/timing/core_timeline.h): instructions retired between and at the
  // accesses and the cycles they take at core.base_cpi; the latencies the accesses were charged
  // (translation: TLB lookups, walks, fault handling; data: the caches), summed before any
  // overlap; total: when every record completed with the core model's overlap (summed over
  // vCPUs); ideal: the same with translation free. total - ideal is what translation costs.
  uint64_t fetch_instructions = 0, gap_instructions = 0;
  uint64_t core_cycles = 0;
  uint64_t translation_cycles = 0;
  uint64_t data_cycles = 0;
  uint64_t total_cycles = 0;
  uint64_t ideal_cycles = 0;
  double freq_ghz = 1.0;
  uint64_t instructions() const { return fetch_instructions + gap_instructions; }
  // The trace says how many instructions ran (fetch records or gaps); else no CPI.
  bool has_instructions() const { return instructions() != 0; }
  // Cycles translation adds to the run, after overlap.
  uint64_t translation_overhead_cycles() const {
    return total_cycles > ideal_cycles ? total_cycles - ideal_cycles : 0;
  }
  double translation_fraction() const {
    return total_cycles ? static_cast<double>(translation_overhead_cycles()) /
                              static_cast<double>(total_cycles)
                        : 0.0;
  }
  // Cycles per instruction that translation adds.
  double translation_cpi() const {
    return has_instructions() ? static_cast<double>(translation_overhead_cycles()) /
                                    static_cast<double>(instructions())
                              : 0.0;
  }
  double nanoseconds(uint64_t cycles) const { return static_cast<double>(cycles) / freq_ghz; }
  uint64_t vcpus = 0;
  // Two-dimensional runs (guest-virtual traces).
  bool two_dimensional = false;
  int guest_levels = 0;
  uint64_t s1_pte_reads = 0, s2_pte_reads = 0;
  TlbStats nested_tlb;
  uint64_t splintered = 0, guest_faults = 0, stage2_faults_on_tables = 0;
  LatencyHistogram refs_per_walk;
  double sim_seconds = 0;  // SystemC time at the end (timing on), else 0
  StatTree stats;          // every counter of the run, by path (docs/REPORT.md)
  double cycles_per_access() const {
    return accesses ? static_cast<double>(translation_cycles) / static_cast<double>(accesses) : 0.0;
  }
};

// Gathers the statistics of `p` (all vCPUs summed); `timing` names the mode.
RunResult collect(const FunctionalPlatform& p, bool timing);

}  // namespace nptsim
