// The configuration of one vCPU's translation structures: TLBs, nested TLB, walk caches of both
// stages, and the tags its entries carry. Defaults: Intel Skylake client (docs/PARAMETERS.md,
// presets/skylake.ini).
#pragma once

#include <optional>
#include <string>

#include "models/core/tlb/cache_config.h"
#include "models/core/tlb/tlb.h"
#include "models/core/tlb/walk_cache.h"

namespace nptsim {

struct MmuConfig {
  // The main (4 KiB) array of each TLB level, and where each level keeps large pages: Skylake's
  // DTLB has 2M and 1G arrays of its own, its ITLB a 2M array (1G pages splintered), its STLB
  // holds 2M pages with the 4 KiB ones and 1G pages in an array of its own.
  CacheConfig l1d{true, 64, 4, Replacement::Lru, 1};
  CacheConfig l1i{true, 128, 8, Replacement::Lru, 1};
  CacheConfig l2{true, 1536, 12, Replacement::Lru, 12};
  TlbLargePages l1d_large{{TlbLargePages::Own, TlbLargePages::Own}, {32, 4}, {4, 4}};
  TlbLargePages l1i_large{{TlbLargePages::Own, TlbLargePages::Splinter}, {8, 4}, {8, 4}};
  TlbLargePages l2_large{{TlbLargePages::Shared, TlbLargePages::Own}, {32, 16}, {4, 4}};
  SetIndex tlb_indexing = SetIndex::LowBits;  // TLB sets from page-number bits, or a hash
  WalkCacheConfig walk_cache;  // stage 2, by the span an entry covers (tlb/walk_cache.h)
  // The L1 TLBs are read in parallel with the L1 cache: their hit latency adds nothing.
  bool l1_latency_hidden = true;
  uint32_t walkers = 2;  // page walks in flight at once (core/timing/core_timeline.h)
  uint16_t vmid = 1;
};

// What the hypervisor's shadow-paging work costs (the "shadow" scheme), in cycles: taken from the
// platform's fault costs (docs/PARAMETERS.md, fault.*).
struct ShadowCosts {
  uint32_t vm_exit = 1300, handler = 800, alloc = 400, zero_page = 150, entry_write = 20;
};

struct TranslationConfig {
  MmuConfig mmu;
  CacheConfig nested_tlb{true, 32, 4, Replacement::Lru, 1};  // GPA -> HPA of guest table entries
  WalkCacheConfig s1_walk_cache;                             // the guest's tables
  uint16_t asid = 1;
  // One walk-cache structure per span holding both stages' entries, tagged by stage (sized by
  // walk_cache.s2.*), instead of one per stage.
  bool stage_tagged_walk_cache = false;
  ShadowCosts shadow;
};

// Nothing when every structure is usable, else what is wrong, naming it.
std::optional<std::string> validate(const MmuConfig& c);
std::optional<std::string> validate(const TranslationConfig& c);

}  // namespace nptsim
