// The configuration of one vCPU's translation structures: TLBs, nested TLB, walk caches of both
// stages, and the tags its entries carry. Defaults: Intel Skylake client (docs/PARAMETERS.md,
// presets/skylake.ini).
#pragma once

#include <optional>
#include <string>

#include "models/core/tlb/cache_config.h"
#include "models/core/tlb/walk_cache.h"

namespace nptsim {

struct MmuConfig {
  CacheConfig l1d{true, 64, 4, Replacement::Lru, 1};
  CacheConfig l1i{true, 128, 8, Replacement::Lru, 1};
  CacheConfig l2{true, 1536, 12, Replacement::Lru, 12};
  WalkCacheConfig walk_cache;  // stage 2, by the span an entry covers (tlb/walk_cache.h)
  // The L1 TLBs are read in parallel with the L1 cache: their hit latency adds nothing.
  bool l1_latency_hidden = true;
  uint32_t walkers = 2;  // page walks in flight at once (core/timing/core_timeline.h)
  uint16_t vmid = 1;
};

struct TranslationConfig {
  MmuConfig mmu;
  CacheConfig nested_tlb{true, 32, 4, Replacement::Lru, 1};  // GPA -> HPA of guest table entries
  WalkCacheConfig s1_walk_cache;                             // the guest's tables
  uint16_t asid = 1;
};

// Nothing when every structure is usable, else what is wrong, naming it.
std::optional<std::string> validate(const MmuConfig& c);
std::optional<std::string> validate(const TranslationConfig& c);

}  // namespace nptsim
