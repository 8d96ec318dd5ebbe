// WalkCache: the paging-structure caches of one stage. A cache entry keeps, for the input-address
// bits that index the entries down to some level, the next-level table that entry points to (and
// the permissions accumulated down to it), so a later walk can resume below it.
//
// Caches are configured by what an entry maps, not by depth from the root: the cache of "2M"
// entries holds pointers to last-level tables, each covering 2 MiB of input addresses (Intel's
// PDE cache, SDM vol. 3A §4.10.3.1), "1G" pointers to tables covering 1 GiB (PDPTE cache),
// "512G" (PML4E cache) and "256T" (PML5E cache). So one setting means the same structure on every
// architecture and level count: a 3-level AArch64 stage 2 or Sv39x4 has only the 1G and 2M
// caches, 4-level EPT has 512G, 1G and 2M.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "models/core/pt/geometry.h"
#include "models/core/stats/stat_tree.h"
#include "models/core/tlb/cache_config.h"
#include "models/core/walk/walk_loop.h"

namespace nptsim {

// The spans a walk-cache entry can cover, smallest first: 2 MiB, 1 GiB, 512 GiB, 256 TiB.
constexpr int kWalkCacheSpans = 4;
constexpr unsigned kWalkCacheSpanShift[kWalkCacheSpans] = {21, 30, 39, 48};
const char* walk_cache_span_name(int span);  // "2M", "1G", "512G", "256T"
// The span index of a table level whose entries each cover 2^shift bytes; nothing if none.
std::optional<int> walk_cache_span_of_shift(unsigned shift);

struct WalkCacheConfig {
  // Defaults: 32 / 8 / 4 / 4 entries for 2M / 1G / 512G / 256T, 4-way, 1 cycle (estimate: Intel
  // publishes no sizes; small for the upper levels, larger above the leaves; docs/LATENCIES.md).
  CacheConfig by_span[kWalkCacheSpans] = {{true, 32, 4, Replacement::Lru, 1},
                                          {true, 8, 4, Replacement::Lru, 1},
                                          {true, 4, 4, Replacement::Lru, 1},
                                          {true, 4, 4, Replacement::Lru, 1}};
  void set_enabled(bool on) {
    for (CacheConfig& c : by_span) c.enabled = on;
  }
};

// Nothing when every cache of `c` is usable, else what is wrong, naming e.g. "walk_cache.s2.2M"
// (`prefix` "walk_cache.s2").
std::optional<std::string> validate(const WalkCacheConfig& c, const std::string& prefix);

struct WalkCacheStats {
  uint64_t lookups = 0;
  uint64_t hits_per_span[kWalkCacheSpans] = {};  // hits that resumed below an entry of that span
  uint64_t misses = 0;
};

class WalkCache {
 public:
  // One cache per non-leaf depth of `g`, each configured by the span its entries cover.
  WalkCache(const Geometry& g, const WalkCacheConfig& c, uint64_t seed);
  // A stage's view of a structure shared with `other`'s stage, entries tagged by stage (Arm
  // Cortex-A76 and XiangShan keep both stages in one walk cache; Intel keeps them apart): a span
  // `other` has uses its array; a span it lacks gets an array configured by `c`.
  WalkCache(const Geometry& g, const WalkCacheConfig& c, uint64_t seed, WalkCache& other,
            uint8_t stage_tag);

  // The deepest cached table for `addr`: where a walk can resume, the table given in the stage's
  // table space `Addr` (HostPhysAddr for stage 2, GuestPhysAddr for stage 1). Nothing on a miss
  // everywhere.
  template <class Addr>
  std::optional<StageStart<Addr>> lookup(uint16_t tag, uint64_t addr) {
    std::optional<StageStart<Addr>> out;
    if (const Entry* e = lookup_entry(tag, addr))
      out = StageStart<Addr>{e->depth + 1, Addr(e->table), e->path};
    return out;
  }
  // Caches every table pointer the (successful or faulting) walk went through.
  void fill(uint16_t tag, uint64_t addr, const WalkResult& r, int first_depth);
  // Drops every entry (of both stages when the structure is shared).
  void flush();
  void reset_stats() { stats_ = {}; }

  bool enabled() const { return enabled_; }
  int depths() const { return static_cast<int>(levels_.size()); }
  uint32_t hit_latency(int depth) const { return levels_[depth].cfg.hit_latency; }
  // The lookup latency charged per walk: the slowest enabled level (all are probed in parallel).
  uint32_t max_hit_latency() const { return max_latency_; }
  // prefix.{lookups,misses}, prefix.hits.<span> for each level of the table.
  void report(StatTree& t, const std::string& prefix) const;
  const WalkCacheStats& stats() const { return stats_; }

 private:
  struct Entry {
    uint16_t vmid = 0;
    uint8_t stage = 0;  // the stage tag of a shared structure
    int8_t depth = 0;   // of the entry that points to `table`
    uint64_t prefix = 0;
    uint64_t table = 0;
    uint32_t path = 0;
  };
  const Entry* lookup_entry(uint16_t tag, uint64_t addr);
  struct Level {
    CacheConfig cfg;
    unsigned shift;  // input-address bits >= shift identify the entry at this depth
    int span;        // index into kWalkCacheSpanShift
    std::shared_ptr<SetAssoc<Entry>> array;  // shared with the other stage's view, or not
  };
  static uint64_t tag(uint16_t vmid, uint64_t prefix, uint8_t stage) {
    return (prefix * 0x100000001B3ULL) ^ (uint64_t{vmid} << 48) ^ (uint64_t{stage} << 47);
  }
  void add_level(const Geometry& g, int depth, const WalkCacheConfig& c, uint64_t seed,
                 const WalkCache* share);

  std::vector<Level> levels_;
  uint8_t stage_tag_ = 0;
  bool enabled_ = false;
  uint32_t max_latency_ = 0;
  WalkCacheStats stats_;
};

}  // namespace nptsim
