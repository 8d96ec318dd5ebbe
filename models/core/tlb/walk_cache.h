// WalkCache: per-level paging-structure caches for stage 2. The cache of depth d keeps, for the
// GPA bits that index depths 0..d, the next-level table that the entry at depth d points to (and
// the permissions accumulated down to it), so a later walk can resume below depth d.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "models/core/pt/geometry.h"
#include "models/core/tlb/cache_config.h"
#include "models/core/walk/stage2_walker.h"

namespace nptsim {

struct WalkCacheStats {
  uint64_t lookups = 0;
  uint64_t hits_per_depth[kMaxLevels] = {};  // hits that resumed below depth d
  uint64_t misses = 0;
};

class WalkCache {
 public:
  // One cache per non-leaf depth of `g`, each configured by `per_depth[d]` (missing entries
  // take the last one given).
  WalkCache(const Geometry& g, const std::vector<CacheConfig>& per_depth, uint64_t seed);

  // The deepest cached table for `gpa`: where a walk can resume. Nothing on a miss everywhere.
  std::optional<WalkStart> lookup(uint16_t vmid, uint64_t gpa);
  // Caches every table pointer the (successful or faulting) walk went through.
  void fill(uint16_t vmid, uint64_t gpa, const WalkResult& r, int first_depth);
  void flush();
  void reset_stats() { stats_ = {}; }

  bool enabled() const { return enabled_; }
  int depths() const { return static_cast<int>(levels_.size()); }
  uint32_t hit_latency(int depth) const { return levels_[depth].cfg.hit_latency; }
  const WalkCacheStats& stats() const { return stats_; }

 private:
  struct Entry {
    uint16_t vmid = 0;
    uint64_t prefix = 0;
    uint64_t table = 0;
    uint32_t path = 0;
  };
  struct Level {
    CacheConfig cfg;
    unsigned shift;  // GPA bits >= shift identify the entry at this depth
    SetAssoc<Entry> array;
  };
  static uint64_t tag(uint16_t vmid, uint64_t prefix) {
    return (prefix * 0x100000001B3ULL) ^ (uint64_t{vmid} << 48);
  }

  std::vector<Level> levels_;
  bool enabled_ = false;
  WalkCacheStats stats_;
};

}  // namespace nptsim
