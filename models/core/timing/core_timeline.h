// CoreTimeline: when a trace-driven core's accesses complete, and so how long its trace takes
// (docs/LATENCIES.md, "Memory-level parallelism"). The translation path and the caches decide
// *what* each access costs, in trace order; the timeline decides how those costs overlap:
//   inorder: every access blocks the core: time = instructions x base CPI + every access's
//            translation and data latency, in series.
//   window:  an out-of-order window of `window` instructions (a reorder buffer). Instructions
//            dispatch at base CPI; an access issues when it dispatches (or, when it depends on the
//            previous access, when that one's data arrives), and retires in order; an instruction
//            cannot dispatch until the one `window` places before it has retired. Accesses within
//            the window overlap their walks (at most `walkers` at once: a TLB miss waits for a
//            free walker) and their L1 misses (at most `fill_buffers` at once). A TLB hit on a
//            page whose walk is still in flight waits for that walk (an MSHR merge). A fault
//            drains the window: handling a VM exit or guest fault overlaps with nothing.
// The access's own instruction takes a window slot but no dispatch cycle (the trace's gap counts
// the instructions between accesses). Deterministic: pure arithmetic on the given latencies.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "models/core/stats/stat_tree.h"

namespace nptsim {

enum class CoreModel : uint8_t { InOrder, Window };

struct CoreTimingConfig {
  CoreModel model = CoreModel::Window;
  uint32_t window = 224;       // instructions in flight (reorder buffer entries)
  double base_cpi = 1.0;       // cycles per dispatched instruction
  uint32_t walkers = 2;        // page walks in flight at once
  uint32_t fill_buffers = 10;  // L1 data misses in flight at once
};

// One access as the timeline sees it: the latencies the model charged, and what they were for.
struct AccessTiming {
  uint64_t lookup_cycles = 0;  // TLB lookups (all of the translation on a TLB hit)
  uint64_t walk_cycles = 0;    // the page walk after a TLB miss (0 on a hit)
  uint64_t fault_cycles = 0;   // fault handling and retried translations: serialising
  uint64_t data_cycles = 0;    // the data access itself
  bool walked = false;
  bool data_missed_l1 = false;  // needs a fill buffer
  bool dependent = false;       // issues only when the previous access's data has arrived
  uint64_t addr = 0;            // trace address, for MSHR merging
  uint8_t page_shift = 12;      // size of the page the walk found
};

struct TimelineStats {
  uint64_t walk_merges = 0;          // TLB hits that waited for an in-flight walk of their page
  uint64_t walker_wait_cycles = 0;   // TLB misses waiting for a free walker
  uint64_t fill_wait_cycles = 0;     // L1 misses waiting for a free fill buffer
  uint64_t window_stall_cycles = 0;  // dispatch held because the window was full
};

class CoreTimeline {
 public:
  explicit CoreTimeline(const CoreTimingConfig& c);
  // `n` instructions without accesses of their own dispatch (a record's gap, a fetch record).
  void dispatch(uint64_t n);
  // The next access: it takes a window slot and issues.
  void access(const AccessTiming& a);
  // The cycle the next instruction dispatches at (the clock the DRAM queue model reads).
  uint64_t now() const { return static_cast<uint64_t>(dispatch_); }
  // The cycle by which everything so far has completed.
  uint64_t end() const;
  const TimelineStats& stats() const { return stats_; }
  // prefix.{walk_merges,walker_wait_cycles,fill_wait_cycles,window_stall_cycles}
  void report(StatTree& t, const std::string& prefix) const;
  // Time restarts at 0 with nothing in flight (after a warm-up).
  void reset();

 private:
  struct InFlightWalk {
    uint64_t page = 0;
    uint8_t shift = 0;
    double done = 0;
  };
  struct Slot {
    uint64_t index;  // instruction number
    double retire;   // the cycle it retires at
  };
  // Dispatches instructions up to number `target`, each `cost` cycles after the previous one,
  // stalling while the window is full.
  void dispatch_to(uint64_t target, double cost);
  // The earliest-free unit of a pool (walkers, fill buffers): its index.
  static size_t earliest(const std::vector<double>& pool);
  double translate(const AccessTiming& a, double issue);
  double fetch_data(const AccessTiming& a, double translated);

  CoreTimingConfig cfg_;
  uint64_t index_ = 0;    // instructions dispatched
  double dispatch_ = 0;   // the cycle the last instruction dispatched at
  double last_data_ = 0;  // when the previous access's data arrived
  double last_retire_ = 0;
  std::deque<Slot> window_;  // accesses not yet known to have left the window
  std::vector<double> walker_free_, fill_free_;
  std::vector<InFlightWalk> walks_;  // the last walk of each walker
  TimelineStats stats_;
};

}  // namespace nptsim
