// The memory hierarchy every access of the model goes through (docs/LATENCIES.md):
//   per vCPU (CoreCaches): an L1D for data and page-table entries, an L1I for fetches, a unified
//   L2; shared by all vCPUs (SharedMemory): the last-level cache, then DRAM with an optional
//   bandwidth (queueing) model.
// Inclusive fills (a miss fills every level above the one that hit), LRU, 64-byte lines, sets
// from physical line-address bits (or a hash). Each level counts its hits per MemClass, so PTE
// hit rates under data pressure, stage 1 against stage 2, can be read off. With mem.model = fixed
// there are no caches: every PTE access costs the fixed latency.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "models/core/common/addr.h"
#include "models/core/mem/mem_config.h"
#include "models/core/stats/stat_tree.h"
#include "models/core/tlb/set_assoc.h"

namespace nptsim {

// The levels an access can be served from, in order.
enum class MemLevel : uint8_t { L1, L2, Llc, Dram };
constexpr int kMemLevels = 4;

// The LLC and DRAM of the platform, shared by every vCPU's CoreCaches.
class SharedMemory {
 public:
  // `freq_ghz` converts the DRAM bandwidth into cycles per line.
  SharedMemory(const MemLatencyConfig& c, double freq_ghz, uint64_t seed);
  // A line that missed a vCPU's L2, at that vCPU's cycle `now`: an LLC hit (true) or a DRAM
  // access; the line is in the LLC afterwards. `cycles` gets the latency (DRAM: with queueing).
  bool access(uint64_t line, uint64_t now, uint32_t& cycles, uint64_t& queue_cycles);
  void reset_stats() { dram_accesses_ = 0; }
  uint64_t dram_accesses() const { return dram_accesses_; }

 private:
  // Queueing delay of a DRAM access at `now`: M/D/1 waiting time S * rho / (2 (1 - rho)) for the
  // service time S of one line at the configured bandwidth, with the utilisation rho measured over
  // the last kWindow DRAM accesses (capped at 0.95). vCPU clocks are not globally ordered (each
  // runs ahead within a quantum), so rho is estimated from the span of recent access times rather
  // than from an exact busy-until time. 0 when the bandwidth is unlimited.
  uint32_t queue_delay(uint64_t now);
  static constexpr size_t kWindow = 64;

  struct Line {};
  MemLatencyConfig cfg_;
  SetAssoc<Line> llc_;
  double line_service_cycles_ = 0;  // 0: unlimited bandwidth
  std::array<uint64_t, kWindow> recent_{};
  size_t recent_count_ = 0, recent_next_ = 0;
  uint64_t dram_accesses_ = 0;
};

struct CacheStats {
  uint64_t served[kMemLevels][kMemClasses] = {};  // [MemLevel][MemClass]
  uint64_t cycles[kMemClasses] = {};
  uint64_t fixed[kMemClasses] = {};  // mem.model = fixed: accesses at the fixed latency
  uint64_t queue_cycles = 0;         // DRAM queueing delay included in `cycles`
  uint64_t accesses(MemClass c) const;
};

// One vCPU's private caches in front of the shared memory.
class CoreCaches {
 public:
  CoreCaches(const MemLatencyConfig& c, SharedMemory& shared, uint64_t seed);
  // Cycles of an access to the line holding `pa` for `cls` (filling the levels it missed); sets
  // `*missed_l1` when given and the L1 missed. An L1 hit, the common case, is decided inline.
  uint32_t access(HostPhysAddr pa, MemClass cls, bool* missed_l1 = nullptr) {
    const auto c = static_cast<size_t>(cls);
    if (cfg_.fixed) {
      ++stats_.fixed[c];
      stats_.cycles[c] += cfg_.fixed_latency;
      return cfg_.fixed_latency;
    }
    const uint64_t line = pa.value() >> line_shift_;
    const bool fetch = cls == MemClass::Fetch;
    // The line this L1 touched last is its most recent in its set already: a hit that needs no
    // search and no LRU update (exact; successive accesses often share a line).
    uint64_t& last = fetch ? last_l1i_ : last_l1d_;
    if (line != last) {
      SetAssoc<Line>& l1 = fetch ? l1i_ : l1d_;
      last = line;
      if (!l1.lookup(line)) {
        if (missed_l1) *missed_l1 = true;
        return access_beyond_l1(line, l1, c);
      }
    }
    const uint32_t lat = fetch ? cfg_.l1i.hit_latency : cfg_.l1d.hit_latency;
    ++stats_.served[0][c];
    stats_.cycles[c] += lat;
    return lat;
  }
  // The vCPU's current cycle, for the DRAM queueing model.
  void set_now(uint64_t cycle) { now_ = cycle; }
  const CacheStats& stats() const { return stats_; }
  // prefix.{l1d,l1i,l2,llc,dram}.<class> (accesses served there), prefix.accesses.<class>,
  // prefix.cycles.<class>, prefix.dram_queue_cycles (levels only with caches).
  void report(StatTree& t, const std::string& prefix) const;
  void reset_stats() { stats_ = {}; }
  const MemLatencyConfig& config() const { return cfg_; }

 private:
  struct Line {};
  uint32_t access_beyond_l1(uint64_t line, SetAssoc<Line>& l1, size_t cls);
  MemLatencyConfig cfg_;
  SharedMemory& shared_;
  SetAssoc<Line> l1d_, l1i_, l2_;
  unsigned line_shift_;
  uint64_t last_l1d_ = ~uint64_t{0}, last_l1i_ = ~uint64_t{0};  // lines touched last (filled too)
  uint64_t now_ = 0;
  CacheStats stats_;
};

}  // namespace nptsim
