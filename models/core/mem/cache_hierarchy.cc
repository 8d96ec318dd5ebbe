#include "models/core/mem/cache_hierarchy.h"

#include <algorithm>

namespace nptsim {

namespace {

const char* const kClassNames[kMemClasses] = {"data", "fetch", "pte_s1", "pte_s2"};
const char* const kLevelNames[kMemLevels] = {"l1", "l2", "llc", "dram"};

bool pow2(uint64_t v) { return v && !(v & (v - 1)); }

// Lines of a level; 1 (an unused one-line array) when there are no caches.
uint32_t lines(const MemLatencyConfig& c, const CacheLevelConfig& l) {
  return c.fixed ? 1 : static_cast<uint32_t>(l.size_bytes / c.line_bytes);
}
uint32_t ways(const MemLatencyConfig& c, const CacheLevelConfig& l) { return c.fixed ? 1 : l.ways; }
unsigned shift_of(uint32_t line_bytes) {
  return static_cast<unsigned>(__builtin_ctz(line_bytes ? line_bytes : 64));
}

}  // namespace

const char* to_string(MemClass c) { return kClassNames[static_cast<int>(c)]; }

std::optional<std::string> validate(const MemLatencyConfig& c) {
  if (c.fixed) return std::nullopt;
  if (!pow2(c.line_bytes) || c.line_bytes < 8) return "mem.line_bytes must be a power of two >= 8";
  if (c.dram_bandwidth_gbs < 0) return "mem.dram_bandwidth must be >= 0 (0: unlimited)";
  const std::pair<const char*, const CacheLevelConfig*> levels[] = {
      {"mem.l1d", &c.l1d}, {"mem.l1i", &c.l1i}, {"mem.l2", &c.l2}, {"mem.llc", &c.llc}};
  for (const auto& [name, l] : levels) {
    const uint64_t n = l->size_bytes / c.line_bytes;
    if (l->ways == 0 || n == 0 || n % l->ways || n > UINT32_MAX) {
      return std::string(name) + ": size must hold a whole number of sets of " +
             std::to_string(l->ways) + " ways of " + std::to_string(c.line_bytes) + "-byte lines";
    }
  }
  return std::nullopt;
}

SharedMemory::SharedMemory(const MemLatencyConfig& c, double freq_ghz, uint64_t seed)
    : cfg_(c),
      llc_(lines(c, c.llc), ways(c, c.llc), Replacement::Lru, seed, c.indexing),
      // One line at B GB/s takes line_bytes / B ns, freq_ghz cycles each.
      line_service_cycles_(c.dram_bandwidth_gbs > 0
                               ? static_cast<double>(c.line_bytes) / c.dram_bandwidth_gbs * freq_ghz
                               : 0) {}

uint32_t SharedMemory::queue_delay(uint64_t now) {
  if (line_service_cycles_ <= 0) return 0;
  const uint64_t oldest = recent_count_ == kWindow ? recent_[recent_next_] : recent_[0];
  recent_[recent_next_] = now;
  recent_next_ = (recent_next_ + 1) % kWindow;
  if (recent_count_ < kWindow) ++recent_count_;
  if (recent_count_ < 2) return 0;
  const uint64_t span = std::max<uint64_t>(1, now > oldest ? now - oldest : oldest - now);
  const double rho = std::min(
      0.95, static_cast<double>(recent_count_) * line_service_cycles_ / static_cast<double>(span));
  const double wait = line_service_cycles_ * rho / (2.0 * (1.0 - rho));
  return static_cast<uint32_t>(wait + 0.5);
}

bool SharedMemory::access(uint64_t line, uint64_t now, uint32_t& cycles, uint64_t& queue_cycles) {
  if (llc_.lookup(line)) {
    cycles = cfg_.llc.hit_latency;
    return true;
  }
  ++dram_accesses_;
  llc_.insert_absent(line, {});
  const uint32_t wait = queue_delay(now);
  queue_cycles += wait;
  cycles = cfg_.dram_latency + wait;
  return false;
}

uint64_t CacheStats::accesses(MemClass c) const {
  uint64_t n = 0;
  for (const auto& level : served) n += level[static_cast<int>(c)];
  return n + fixed[static_cast<int>(c)];
}

CoreCaches::CoreCaches(const MemLatencyConfig& c, SharedMemory& shared, uint64_t seed)
    : cfg_(c),
      shared_(shared),
      l1d_(lines(c, c.l1d), ways(c, c.l1d), Replacement::Lru, seed, c.indexing),
      l1i_(lines(c, c.l1i), ways(c, c.l1i), Replacement::Lru, seed + 1, c.indexing),
      l2_(lines(c, c.l2), ways(c, c.l2), Replacement::Lru, seed + 2, c.indexing),
      line_shift_(shift_of(c.line_bytes)) {}

uint32_t CoreCaches::access_beyond_l1(uint64_t line, SetAssoc<Line>& l1, size_t cls) {
  uint32_t lat = cfg_.l2.hit_latency;
  if (l2_.lookup(line)) {
    ++stats_.served[static_cast<int>(MemLevel::L2)][cls];
  } else {
    const bool llc_hit = shared_.access(line, now_, lat, stats_.queue_cycles);
    ++stats_.served[static_cast<int>(llc_hit ? MemLevel::Llc : MemLevel::Dram)][cls];
    l2_.insert_absent(line, {});
  }
  l1.insert_absent(line, {});
  stats_.cycles[cls] += lat;
  return lat;
}

void CoreCaches::report(StatTree& t, const std::string& prefix) const {
  for (int c = 0; c < kMemClasses; ++c) {
    const auto cls = static_cast<MemClass>(c);
    const std::string name = kClassNames[c];
    t.count(prefix + ".accesses." + name, stats_.accesses(cls));
    t.count(prefix + ".cycles." + name, stats_.cycles[c]);
    if (cfg_.fixed) continue;
    for (int l = 0; l < kMemLevels; ++l) {
      std::string level = kLevelNames[l];
      if (l == 0) level = cls == MemClass::Fetch ? "l1i" : "l1d";
      t.count(prefix + "." + level + "." + name, stats_.served[l][c]);
    }
  }
  t.count(prefix + ".dram_queue_cycles", stats_.queue_cycles);
}

}  // namespace nptsim
