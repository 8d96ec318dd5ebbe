#include "models/core/platform/run_result.h"

namespace nptsim {

namespace {

void add(TlbStats& to, const TlbStats& from) {
  to.hits += from.hits;
  to.misses += from.misses;
  to.evictions += from.evictions;
}

void add(WalkCacheStats& to, const WalkCacheStats& from) {
  to.lookups += from.lookups;
  to.misses += from.misses;
  for (int s = 0; s < kWalkCacheSpans; ++s) to.hits_per_span[s] += from.hits_per_span[s];
}

// One vCPU's translation path into the run's summary.
void add_vcpu(RunResult& r, const TranslationScheme& s, bool two_d) {
  ++r.vcpus;
  add(r.l1d, s.tlbs().l1d().stats());
  add(r.l1i, s.tlbs().l1i().stats());
  add(r.l2, s.tlbs().l2().stats());
  if (const Tlb* n = s.nested_tlb()) add(r.nested_tlb, n->stats());
  if (const WalkCache* w = s.walk_cache(Stage::Stage1)) add(r.s1_walk_cache, w->stats());
  if (const WalkCache* w = s.walk_cache(Stage::Stage2)) add(r.s2_walk_cache, w->stats());
  const SchemeStats& st = s.stats();
  r.walks += st.walks;
  r.pte_reads += st.reads(Stage::Stage1) + st.reads(Stage::Stage2);
  r.pte_writes += st.pte_writes;
  if (two_d) {
    r.s1_pte_reads += st.reads(Stage::Stage1);
    r.s2_pte_reads += st.reads(Stage::Stage2);
  }
  for (int d = 0; d < kMaxLevels; ++d) {
    r.s1_pte_reads_per_depth[d] += st.reads_per_depth[0][d];
    r.pte_reads_per_depth[d] += st.reads_per_depth[1][d];
  }
  r.splintered += st.splintered;
  r.walk_cycles.merge(st.walk_cycles);
  r.refs_per_walk.merge(st.refs_per_walk);
}

}  // namespace

RunResult collect(const FunctionalPlatform& p, bool timing) {
  RunResult r;
  const PlatformConfig& c = p.config();
  r.arch = to_string(c.stage2.arch);
  r.levels = c.stage2.levels;
  r.geometry = to_string(c.stage2.mode);
  r.backend = c.layout.areas.empty() ? "none" : to_string(c.layout.areas.front().backend);
  r.mode = timing ? "timing" : "functional";
  r.scheme = c.scheme;
  r.accesses = p.stats().accesses;
  r.faults_handled = p.stats().faults_handled;
  r.faults_unhandled = p.stats().faults_unhandled;
  for (int k = 0; k < kFaultKindCount; ++k) r.unhandled_by_kind[k] = p.stats().unhandled_by_kind[k];
  r.translation_cycles = p.stats().cycles;
  r.fetch_instructions = p.stats().fetch_instructions;
  r.gap_instructions = p.stats().gap_instructions;
  r.core_cycles = p.stats().core_cycles;
  r.data_cycles = p.stats().data_cycles;
  r.total_cycles = p.total_cycles();
  r.ideal_cycles = p.ideal_cycles();
  r.freq_ghz = c.core.freq_ghz;
  r.two_dimensional = c.guest_tables();
  r.guest_faults = p.stats().guest_faults;
  r.stage2_faults_on_tables = p.stats().stage2_faults_on_tables;
  if (r.two_dimensional) r.guest_levels = c.guest.levels;
  for (size_t v = 0; v < p.vcpus(); ++v) {
    if (const TranslationScheme* s = p.scheme(v)) add_vcpu(r, *s, r.two_dimensional);
  }
  r.frames_allocated = p.frames().stats().allocs;
  r.table_bytes = p.table_bytes();
  r.data_bytes = p.data_bytes();
  p.report(r.stats);
  return r;
}

}  // namespace nptsim
