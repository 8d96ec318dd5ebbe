// Mmu: one vCPU's stage-2 translation path (one-dimensional model: the trace gives GPAs):
// L1 instruction or data TLB, unified L2 TLB, per-level walk caches, then the hardware walk of
// the real tables through a PteMemory (direct + latency model, or TLM in the SystemC model).
// Functional and cycle-counting; the SystemC MMU module wraps it and advances time.
#pragma once

#include <cstdint>
#include <vector>

#include "models/core/arch/arch_registry.h"
#include "models/core/mmu/latency_histogram.h"
#include "models/core/tlb/tlb.h"
#include "models/core/tlb/walk_cache.h"

namespace nptsim {

struct MmuConfig {
  // Defaults: Intel Skylake client (docs/LATENCIES.md).
  CacheConfig l1d{true, 64, 4, Replacement::Lru, 1};
  CacheConfig l1i{true, 128, 8, Replacement::Lru, 1};
  CacheConfig l2{true, 1536, 12, Replacement::Lru, 12};
  // Stage-2 walk caches, by the span an entry covers (tlb/walk_cache.h).
  WalkCacheConfig walk_cache;
  uint16_t vmid = 1;
};

std::optional<std::string> validate(const MmuConfig& c);

enum class TranslationSource : uint8_t { L1Tlb, L2Tlb, Walk };

struct Translation {
  bool ok = false;
  HostPhysAddr hpa;
  Fault fault;
  TranslationSource source = TranslationSource::Walk;
  uint64_t cycles = 0;        // TLB lookups + walk-cache lookup + PTE accesses
  uint32_t pte_reads = 0;     // entries read by the walk (0 on a TLB hit)
};

struct MmuStats {
  uint64_t translations = 0;
  uint64_t walks = 0;
  uint64_t faults = 0;
  uint64_t pte_reads = 0;
  uint64_t pte_writes = 0;  // A/D write-backs
  uint64_t pte_reads_per_depth[kMaxLevels] = {};
  uint64_t cycles = 0;
  LatencyHistogram walk_cycles;  // per walk: walk-cache lookup + PTE accesses
  LatencyHistogram refs_per_walk;  // PTE reads and write-backs per walk
};

class Mmu {
 public:
  Mmu(const MmuConfig& c, Arch arch, const Stage2Regime& regime, PteMemory& mem, uint64_t seed);

  Translation translate(GuestPhysAddr gpa, AccessKind access);
  // Drops cached translations for the whole VMID (after the hypervisor changes mappings).
  void flush();
  // Zeroes every counter (TLBs, walk caches, walks); cached contents stay (after a warm-up).
  void reset_stats();

  const Tlb& l1d() const { return l1d_; }
  const Tlb& l1i() const { return l1i_; }
  const Tlb& l2() const { return l2_; }
  const WalkCache& walk_cache() const { return wc_; }
  const MmuStats& stats() const { return stats_; }
  const Stage2Regime& regime() const { return regime_; }

 private:
  MmuConfig cfg_;
  Arch arch_;
  Stage2Regime regime_;
  PteMemory& mem_;
  Tlb l1d_, l1i_, l2_;
  WalkCache wc_;
  uint32_t wc_latency_ = 0;
  MmuStats stats_;
};

}  // namespace nptsim
