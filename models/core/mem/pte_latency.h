// PteLatency: the cost in cycles of one page-table-entry access, either a fixed latency or a
// small cache hierarchy for PTE lines (L1, L2, LLC, then DRAM). Defaults and their sources are
// in docs/LATENCIES.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "models/core/common/addr.h"
#include "models/core/stats/stat_tree.h"
#include "models/core/tlb/set_assoc.h"

namespace nptsim {

struct PteCacheLevel {
  uint64_t size_bytes = 0;
  uint32_t ways = 8;
  uint32_t hit_latency = 4;  // cycles
};

struct MemLatencyConfig {
  bool fixed = false;            // true: every PTE access costs fixed_latency
  uint32_t fixed_latency = 200;  // cycles
  uint32_t line_bytes = 64;
  PteCacheLevel l1{32 << 10, 8, 4};
  PteCacheLevel l2{256 << 10, 4, 12};
  PteCacheLevel llc{8 << 20, 16, 44};
  uint32_t dram_latency = 200;  // cycles, after an LLC miss
};

std::optional<std::string> validate(const MemLatencyConfig& c);

struct PteLatencyStats {
  uint64_t accesses = 0;
  uint64_t l1_hits = 0, l2_hits = 0, llc_hits = 0, dram = 0;
  uint64_t cycles = 0;
};

class PteLatency {
 public:
  PteLatency(const MemLatencyConfig& c, uint64_t seed);
  // Cycles of an access to the line holding `pa` (also fills the caches). An L1 hit, the
  // common case of a walk, is decided here inline.
  uint32_t access(HostPhysAddr pa) {
    if (!cfg_.fixed) {
      const uint64_t line = pa.value() >> line_shift_;
      if (!l1_.lookup(line)) return access_beyond_l1(line);
      ++stats_.l1_hits;
      return cfg_.l1.hit_latency;
    }
    ++stats_.accesses;
    return cfg_.fixed_latency;
  }
  // Accesses and cycles are derived from the per-level counts (one counter per access).
  PteLatencyStats stats() const;
  // prefix.{accesses,l1_hits,l2_hits,llc_hits,dram,cycles}
  void report(StatTree& t, const std::string& prefix) const;
  void reset_stats() { stats_ = {}; }
  const MemLatencyConfig& config() const { return cfg_; }

 private:
  // An access that missed the L1: L2, LLC or DRAM, filling the levels above.
  uint32_t access_beyond_l1(uint64_t line);
  struct Line {};
  MemLatencyConfig cfg_;
  SetAssoc<Line> l1_, l2_, llc_;
  unsigned line_shift_;
  PteLatencyStats stats_;  // per-level counts (accesses: only with a fixed latency)
};

}  // namespace nptsim
