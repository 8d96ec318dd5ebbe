#include "models/core/mem/pte_latency.h"

namespace nptsim {

namespace {
uint32_t lines(const PteCacheLevel& l, uint32_t line) {
  return static_cast<uint32_t>(l.size_bytes / line);
}
bool pow2(uint64_t v) { return v && !(v & (v - 1)); }
}  // namespace

std::optional<std::string> validate(const MemLatencyConfig& c) {
  if (c.fixed) return std::nullopt;
  if (!pow2(c.line_bytes) || c.line_bytes < 8) return "mem.line_bytes must be a power of two >= 8";
  const std::pair<const char*, const PteCacheLevel*> levels[] = {
      {"mem.l1", &c.l1}, {"mem.l2", &c.l2}, {"mem.llc", &c.llc}};
  for (const auto& [name, l] : levels) {
    const uint64_t n = l->size_bytes / c.line_bytes;
    if (l->ways == 0 || n == 0 || n % l->ways) {
      return std::string(name) + ": size must hold a whole number of sets of " +
             std::to_string(l->ways) + " ways of " + std::to_string(c.line_bytes) + "-byte lines";
    }
  }
  return std::nullopt;
}

PteLatency::PteLatency(const MemLatencyConfig& c, uint64_t seed)
    : cfg_(c),
      l1_(c.fixed ? 1 : lines(c.l1, c.line_bytes), c.fixed ? 1 : c.l1.ways, Replacement::Lru, seed),
      l2_(c.fixed ? 1 : lines(c.l2, c.line_bytes), c.fixed ? 1 : c.l2.ways, Replacement::Lru,
          seed + 1),
      llc_(c.fixed ? 1 : lines(c.llc, c.line_bytes), c.fixed ? 1 : c.llc.ways, Replacement::Lru,
           seed + 2),
      line_shift_(static_cast<unsigned>(__builtin_ctz(c.line_bytes ? c.line_bytes : 64))) {}

uint32_t PteLatency::access_beyond_l1(uint64_t line) {
  if (l2_.lookup(line)) {
    ++stats_.l2_hits;
    l1_.insert_absent(line, {});
    return cfg_.l2.hit_latency;
  }
  if (llc_.lookup(line)) {
    ++stats_.llc_hits;
    l2_.insert_absent(line, {});
    l1_.insert_absent(line, {});
    return cfg_.llc.hit_latency;
  }
  ++stats_.dram;
  llc_.insert_absent(line, {});
  l2_.insert_absent(line, {});
  l1_.insert_absent(line, {});
  return cfg_.dram_latency;
}

PteLatencyStats PteLatency::stats() const {
  PteLatencyStats s = stats_;
  if (cfg_.fixed) {
    s.cycles = s.accesses * cfg_.fixed_latency;
    return s;
  }
  s.accesses = s.l1_hits + s.l2_hits + s.llc_hits + s.dram;
  s.cycles = s.l1_hits * cfg_.l1.hit_latency + s.l2_hits * cfg_.l2.hit_latency +
             s.llc_hits * cfg_.llc.hit_latency + s.dram * cfg_.dram_latency;
  return s;
}

void PteLatency::report(StatTree& t, const std::string& prefix) const {
  const PteLatencyStats s = stats();
  t.count(prefix + ".accesses", s.accesses);
  t.count(prefix + ".l1_hits", s.l1_hits);
  t.count(prefix + ".l2_hits", s.l2_hits);
  t.count(prefix + ".llc_hits", s.llc_hits);
  t.count(prefix + ".dram", s.dram);
  t.count(prefix + ".cycles", s.cycles);
}

}  // namespace nptsim
