#include "models/core/tlb/walk_cache.h"

#include <algorithm>
#include <vector>

namespace nptsim {

const char* walk_cache_span_name(int span) {
  static const char* const kNames[kWalkCacheSpans] = {"2M", "1G", "512G", "256T"};
  return span >= 0 && span < kWalkCacheSpans ? kNames[span] : "?";
}

std::optional<int> walk_cache_span_of_shift(unsigned shift) {
  for (int s = 0; s < kWalkCacheSpans; ++s) {
    if (kWalkCacheSpanShift[s] == shift) return s;
  }
  return std::nullopt;
}

std::optional<std::string> validate(const WalkCacheConfig& c, const std::string& prefix) {
  for (int s = 0; s < kWalkCacheSpans; ++s) {
    if (auto e = validate(c.by_span[s], prefix + "." + walk_cache_span_name(s))) return e;
  }
  return std::nullopt;
}

WalkCache::WalkCache(const Geometry& g, const WalkCacheConfig& c, uint64_t seed) {
  for (int d = 0; d + 1 < g.levels; ++d) add_level(g, d, c, seed, nullptr);
}

WalkCache::WalkCache(const Geometry& g, const WalkCacheConfig& c, uint64_t seed, WalkCache& other,
                     uint8_t stage_tag)
    : stage_tag_(stage_tag) {
  for (int d = 0; d + 1 < g.levels; ++d) add_level(g, d, c, seed, &other);
}

void WalkCache::add_level(const Geometry& g, int d, const WalkCacheConfig& c, uint64_t seed,
                          const WalkCache* share) {
  // A non-leaf level of a 4 KiB-granule table covers 2 MiB or more; a span outside the list
  // (none today) gets no cache.
  const auto span = walk_cache_span_of_shift(g.level[d].shift);
  if (share && span) {
    for (const Level& l : share->levels_) {
      if (l.span != *span || !l.cfg.enabled) continue;
      levels_.push_back(Level{l.cfg, g.level[d].shift, l.span, l.array});
      enabled_ = true;
      max_latency_ = std::max(max_latency_, l.cfg.hit_latency);
      return;
    }
  }
  const CacheConfig cfg = span ? c.by_span[*span] : CacheConfig{false};
  enabled_ = enabled_ || cfg.enabled;
  max_latency_ = std::max(max_latency_, cfg.hit_latency);
  levels_.push_back(Level{
      cfg, g.level[d].shift, span.value_or(0),
      std::make_shared<SetAssoc<Entry>>(cfg.enabled ? cfg.entries : 1, cfg.enabled ? cfg.ways : 1,
                                        cfg.policy, seed + static_cast<uint64_t>(d))});
}

const WalkCache::Entry* WalkCache::lookup_entry(uint16_t vmid, uint64_t addr) {
  if (!enabled_) return nullptr;
  ++stats_.lookups;
  for (int d = depths() - 1; d >= 0; --d) {
    Level& l = levels_[d];
    if (!l.cfg.enabled) continue;
    const uint64_t prefix = addr >> l.shift;
    Entry* e = l.array->lookup(tag(vmid, prefix, stage_tag_));
    if (e && e->vmid == vmid && e->prefix == prefix && e->stage == stage_tag_) {
      ++stats_.hits_per_span[l.span];
      return e;
    }
  }
  ++stats_.misses;
  return nullptr;
}

void WalkCache::fill(uint16_t vmid, uint64_t addr, const WalkResult& r, int first_depth) {
  if (!enabled_) return;
  // Depths whose entry pointed to a next table: every read step except the last one.
  const int last = r.ok ? r.leaf_depth : r.fault.level;
  for (int d = first_depth; d < last && d < depths(); ++d) {
    Level& l = levels_[d];
    if (!l.cfg.enabled) continue;
    const uint64_t prefix = addr >> l.shift;
    l.array->insert(tag(vmid, prefix, stage_tag_), Entry{vmid, stage_tag_, static_cast<int8_t>(d),
                                                         prefix, r.next_table[d], r.path[d]});
  }
}

void WalkCache::report(StatTree& t, const std::string& prefix) const {
  t.count(prefix + ".lookups", stats_.lookups);
  for (const Level& l : levels_)
    t.count(prefix + ".hits." + walk_cache_span_name(l.span), stats_.hits_per_span[l.span]);
  t.count(prefix + ".misses", stats_.misses);
}

void WalkCache::flush() {
  for (auto& l : levels_) l.array->clear();
}

}  // namespace nptsim
