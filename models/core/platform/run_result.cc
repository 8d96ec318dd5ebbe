#include "models/core/platform/run_result.h"

namespace nptsim {

RunResult collect(const FunctionalPlatform& p, bool timing) {
  RunResult r;
  const PlatformConfig& c = p.config();
  r.arch = to_string(c.stage2.arch);
  r.levels = c.stage2.levels;
  r.geometry = to_string(c.stage2.mode);
  r.backend = c.layout.areas.empty() ? "none" : to_string(c.layout.areas.front().backend);
  r.mode = timing ? "timing" : "functional";
  r.accesses = p.stats().accesses;
  r.faults_handled = p.stats().faults_handled;
  r.faults_unhandled = p.stats().faults_unhandled;
  for (int k = 0; k < kFaultKindCount; ++k) r.unhandled_by_kind[k] = p.stats().unhandled_by_kind[k];
  r.total_cycles = p.stats().cycles;
  auto add = [](TlbStats& to, const TlbStats& from) {
    to.hits += from.hits;
    to.misses += from.misses;
    to.evictions += from.evictions;
  };
  auto add_wc = [](WalkCacheStats& to, const WalkCacheStats& from) {
    to.lookups += from.lookups;
    to.misses += from.misses;
    for (int s = 0; s < kWalkCacheSpans; ++s) to.hits_per_span[s] += from.hits_per_span[s];
  };
  r.two_dimensional = c.two_dimensional;
  r.guest_faults = p.stats().guest_faults;
  r.stage2_faults_on_tables = p.stats().stage2_faults_on_tables;
  if (c.two_dimensional) r.guest_levels = c.guest.levels;
  for (size_t v = 0; v < p.vcpus(); ++v) {
    if (const Mmu2D* m2 = p.mmu2d(v)) {
      ++r.vcpus;
      add(r.l1d, m2->l1d().stats());
      add(r.l1i, m2->l1i().stats());
      add(r.l2, m2->l2().stats());
      add(r.nested_tlb, m2->nested_tlb().stats());
      const Mmu2DStats& st = m2->stats();
      r.walks += st.walks;
      r.s1_pte_reads += st.s1_pte_reads;
      r.s2_pte_reads += st.s2_pte_reads;
      r.pte_reads += st.s1_pte_reads + st.s2_pte_reads;
      r.pte_writes += st.pte_writes;
      for (int d = 0; d < kMaxLevels; ++d) {
        r.s1_pte_reads_per_depth[d] += st.s1_reads_per_depth[d];
        r.pte_reads_per_depth[d] += st.s2_reads_per_depth[d];
      }
      add_wc(r.s1_walk_cache, m2->s1_walk_cache().stats());
      add_wc(r.s2_walk_cache, m2->s2_walk_cache().stats());
      r.splintered += st.splintered;
      r.walk_cycles.merge(st.walk_cycles);
      r.refs_per_walk.merge(st.refs_per_walk);
      continue;
    }
    const Mmu* m = p.mmu(v);
    if (!m) continue;
    ++r.vcpus;
    add(r.l1d, m->l1d().stats());
    add(r.l1i, m->l1i().stats());
    add(r.l2, m->l2().stats());
    r.walks += m->stats().walks;
    r.pte_reads += m->stats().pte_reads;
    r.pte_writes += m->stats().pte_writes;
    for (int d = 0; d < kMaxLevels; ++d) r.pte_reads_per_depth[d] += m->stats().pte_reads_per_depth[d];
    add_wc(r.s2_walk_cache, m->walk_cache().stats());
    r.walk_cycles.merge(m->stats().walk_cycles);
    r.refs_per_walk.merge(m->stats().refs_per_walk);
  }
  r.frames_allocated = p.frames().stats().allocs;
  r.table_bytes = p.table_bytes();
  r.data_bytes = p.data_bytes();
  return r;
}

}  // namespace nptsim
