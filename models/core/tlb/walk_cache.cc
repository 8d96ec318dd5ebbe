#include "models/core/tlb/walk_cache.h"

#include <algorithm>

namespace nptsim {

WalkCache::WalkCache(const Geometry& g, const std::vector<CacheConfig>& per_depth, uint64_t seed) {
  for (int d = 0; d + 1 < g.levels; ++d) {
    CacheConfig c = per_depth.empty() ? CacheConfig{false} : per_depth[std::min<size_t>(d, per_depth.size() - 1)];
    enabled_ = enabled_ || c.enabled;
    levels_.push_back(Level{c, g.level[d].shift,
                            SetAssoc<Entry>(c.enabled ? c.entries : 1, c.enabled ? c.ways : 1, c.policy,
                                            seed + static_cast<uint64_t>(d))});
  }
}

std::optional<WalkStart> WalkCache::lookup(uint16_t vmid, uint64_t gpa) {
  if (!enabled_) return std::nullopt;
  ++stats_.lookups;
  for (int d = depths() - 1; d >= 0; --d) {
    Level& l = levels_[d];
    if (!l.cfg.enabled) continue;
    const uint64_t prefix = gpa >> l.shift;
    Entry* e = l.array.lookup(tag(vmid, prefix));
    if (e && e->vmid == vmid && e->prefix == prefix) {
      ++stats_.hits_per_depth[d];
      return WalkStart{d + 1, HostPhysAddr(e->table), e->path};
    }
  }
  ++stats_.misses;
  return std::nullopt;
}

void WalkCache::fill(uint16_t vmid, uint64_t gpa, const WalkResult& r, int first_depth) {
  if (!enabled_) return;
  // Depths whose entry pointed to a next table: every read step except the last one.
  const int last = r.ok ? r.leaf_depth : r.fault.level;
  for (int d = first_depth; d < last && d < depths(); ++d) {
    Level& l = levels_[d];
    if (!l.cfg.enabled) continue;
    const uint64_t prefix = gpa >> l.shift;
    l.array.insert(tag(vmid, prefix), Entry{vmid, prefix, r.next_table[d].value(), r.path[d]});
  }
}

void WalkCache::flush() {
  for (auto& l : levels_) l.array.clear();
}

}  // namespace nptsim
