// Parameters of the TLBs and walk caches (tlb/), with the sources of their defaults.
#include "models/core/params/param_builders.h"
#include "models/core/platform/params/sim_config.h"

namespace nptsim {

namespace {

using C = SimConfig;

// The five parameters of one cache structure under `prefix`; `cache` gives the CacheConfig.
template <class Cache>
void add_cache(SimParams& t, const std::string& prefix, const std::string& what,
               const std::string& source, Cache cache) {
  t.add(
      bool_param<C>({prefix + ".enabled", "", what + ": on or off (this structure alone)", source},
                    [cache](C& c) -> bool& { return cache(c).enabled; }));
  t.add(uint_param<C>(
      {prefix + ".entries", "entries", what + ": entries", source},
      [cache](C& c) -> uint32_t& { return cache(c).entries; }, 1, 1u << 24));
  t.add(uint_param<C>(
      {prefix + ".ways", "ways", what + ": associativity (entries = ways: fully associative)",
       source},
      [cache](C& c) -> uint32_t& { return cache(c).ways; }, 1, 1u << 24));
  t.add(choice_param<C>(
      {prefix + ".policy", "", what + ": replacement policy", source},
      [cache](C& c) -> Replacement& { return cache(c).policy; }, replacement_names()));
  t.add(uint_param<C>(
      {prefix + ".latency", "cycles", what + ": hit latency", source},
      [cache](C& c) -> uint32_t& { return cache(c).hit_latency; }, 0, 1u << 20));
}

// Where a TLB level keeps each large page size: prefix.<size>.{mode,entries,ways}.
template <class Large>
void add_large(SimParams& t, const std::string& prefix, const std::string& what,
               const std::string& source, Large large) {
  for (int k = 0; k < kTlbLargeClasses; ++k) {
    const std::string size = tlb_large_class_name(k);
    const std::string p = prefix + "." + size;
    t.add(choice_param<C>(
        {p + ".mode", "",
         what + ": " + size +
             " pages in an array of their own (own), in the main array (shared), or kept as "
             "pieces of the next smaller size (splinter)",
         source},
        [large, k](C& c) -> TlbLargePages::Mode& { return large(c).mode[k]; },
        tlb_large_mode_names()));
    t.add(uint_param<C>(
        {p + ".entries", "entries", what + ": entries of the " + size + " array (mode = own)",
         source},
        [large, k](C& c) -> uint32_t& { return large(c).entries[k]; }, 1, 1u << 24));
    t.add(uint_param<C>(
        {p + ".ways", "ways", what + ": associativity of the " + size + " array (mode = own)",
         source},
        [large, k](C& c) -> uint32_t& { return large(c).ways[k]; }, 1, 1u << 24));
  }
}

const char* const kSkylakeTlbs =
    "Intel 64 and IA-32 Architectures Optimization Reference Manual (248966-045, Feb. 2022), Table "
    "2-15 "
    "\"TLB Parameters of the Skylake Microarchitecture\"";

}  // namespace

void declare_tlb_params(SimParams& t) {
  t.add(bool_param<C>(
      {"tlb.l1_latency_hidden", "",
       "the L1 TLBs are read in parallel with the L1 cache: their hit latency adds no "
       "cycles (off: every access pays it)",
       "the L1 DTLB is looked up in parallel with the virtually-indexed, "
       "physically-tagged L1 data cache (Intel Optimization Reference Manual, "
       "248966-045, Skylake L1 data cache)"},
      [](C& c) -> bool& { return c.platform.mmu.l1_latency_hidden; }));
  t.add(uint_param<C>(
      {"mmu.walkers", "walkers",
       "page walks in flight at once per vCPU (core.model = window); a TLB miss waits for a free "
       "walker, a TLB hit on a page being walked waits for that walk",
       "Intel Optimization Reference Manual (248966-045), Broadwell and later: two page walks "
       "in parallel"},
      [](C& c) -> uint32_t& { return c.platform.mmu.walkers; }, 1, 64));
  add_cache(t, "tlb.l1d", "L1 data TLB",
            std::string(kSkylakeTlbs) +
                ": DTLB 4 KiB pages 64 entries, 4-way; 1-cycle lookup: the L1 TLB is read "
                "in parallel with the L1 cache",
            [](C& c) -> CacheConfig& { return c.platform.mmu.l1d; });
  add_cache(t, "tlb.l1i", "L1 instruction TLB",
            std::string(kSkylakeTlbs) + ": ITLB 4 KiB pages 128 entries, 8-way",
            [](C& c) -> CacheConfig& { return c.platform.mmu.l1i; });
  add_cache(t, "tlb.l2", "unified L2 TLB (STLB)",
            std::string(kSkylakeTlbs) +
                ": STLB 4 KiB + 2 MiB pages 1536 entries, 12-way; hit latency: about 12 "
                "cycles measured for the Haswell L2 TLB (PC Watch, Haswell analysis, 2013)",
            [](C& c) -> CacheConfig& { return c.platform.mmu.l2; });
  add_large(t, "tlb.l1d", "L1 data TLB",
            std::string(kSkylakeTlbs) +
                ": DTLB 2/4 MiB pages 32 entries, 4-way; 1 GiB pages 4 entries, 4-way",
            [](C& c) -> TlbLargePages& { return c.platform.mmu.l1d_large; });
  add_large(t, "tlb.l1i", "L1 instruction TLB",
            std::string(kSkylakeTlbs) +
                ": ITLB 2/4 MiB pages 8 entries per thread, fully associative; no 1 GiB "
                "entries (1 GiB pages are kept as 2 MiB pieces)",
            [](C& c) -> TlbLargePages& { return c.platform.mmu.l1i_large; });
  add_large(t, "tlb.l2", "unified L2 TLB (STLB)",
            std::string(kSkylakeTlbs) +
                ": STLB 4 KiB + 2 MiB pages share 1536 entries; 1 GiB pages 16 entries, 4-way",
            [](C& c) -> TlbLargePages& { return c.platform.mmu.l2_large; });
  t.add(choice_param<C>(
      {"tlb.indexing", "",
       "how a TLB entry picks its set: low bits of the page number (as hardware indexes) or a "
       "hash",
       "nptsim's model choice: page-number bits, so strided pages conflict as in hardware"},
      [](C& c) -> SetIndex& { return c.platform.mmu.tlb_indexing; },
      std::vector<std::pair<SetIndex, std::string>>{{SetIndex::LowBits, "vpn_bits"},
                                                    {SetIndex::Hash, "hash"}}));
  add_cache(t, "tlb.nested",
            "nested TLB (GPA -> HPA of guest page-table entries, two-dimensional runs)",
            "estimate: no vendor publishes one; a small cache in the spirit of the nested TLBs of "
            "the research "
            "literature (Bhargava et al., ASPLOS 2008)",
            [](C& c) -> CacheConfig& { return c.platform.nested_tlb; });
  const char* const wc_source =
      "estimate: Intel documents paging-structure caches (SDM vol. 3A 4.10.3) but publishes no "
      "sizes; small "
      "for the upper levels, larger above the leaves";
  for (int s = 0; s < kWalkCacheSpans; ++s) {
    const std::string span = walk_cache_span_name(s);
    add_cache(t, "walk_cache.s2." + span, "stage-2 walk cache of entries each mapping " + span,
              wc_source,
              [s](C& c) -> CacheConfig& { return c.platform.mmu.walk_cache.by_span[s]; });
  }
  t.add(bool_param<C>(
      {"walk_cache.stage_tagged", "",
       "one walk cache per span holds both stages' entries, tagged by stage, sized by "
       "walk_cache.s2.* (walk_cache.s1.* then unused); off: one per stage",
       "Intel keeps the paging-structure caches of each stage apart (SDM vol. 3A 4.10.3, "
       "3C 29.4.3); Arm's Cortex-A76 and XiangShan tag stages in one structure"},
      [](C& c) -> bool& { return c.platform.stage_tagged_walk_cache; }));
  for (int s = 0; s < kWalkCacheSpans; ++s) {
    const std::string span = walk_cache_span_name(s);
    add_cache(t, "walk_cache.s1." + span,
              "stage-1 (guest) walk cache of entries each mapping " + span, wc_source,
              [s](C& c) -> CacheConfig& { return c.platform.s1_walk_cache.by_span[s]; });
  }
}

}  // namespace nptsim
