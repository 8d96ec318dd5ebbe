// SchemeBase: what every translation scheme shares: the TLB front, the common counters, and the
// bookkeeping of a walk (reads per stage and depth, latency, TLB fill). Schemes derive from it
// and add their walk.
#pragma once

#include <string>

#include "models/core/engine/translation_scheme.h"

namespace nptsim {

class SchemeBase : public TranslationScheme {
 public:
  explicit SchemeBase(const SchemeContext& c) : cfg_(c.config), tlbs_(c.config.mmu, c.seed) {}

  const SchemeStats& stats() const override { return stats_; }
  const TlbFront& tlbs() const override { return tlbs_; }
  void switch_context(uint16_t asid) override { cfg_.asid = asid; }

 protected:
  // A TLB hit for `addr` fills `t` (ok, hpa, source, cycles) and returns true; on a miss the
  // lookups' cycles are in t.cycles.
  bool tlb_hit(Translation& t, uint32_t tag, uint64_t addr, AccessKind access) {
    ++stats_.translations;
    if (!tlbs_.enabled()) return false;
    auto hit = tlbs_.lookup(tag, addr, access, t.cycles);
    if (!hit) return false;
    t.ok = true;
    t.hpa = hit->hpa;
    t.source = hit->from_l1 ? TranslationSource::L1Tlb : TranslationSource::L2Tlb;
    stats_.cycles += t.cycles;
    return true;
  }
  // translate()'s TLB hit when it is a repeat hit of the L1 entry (TranslationScheme::repeat_hit).
  bool repeat_tlb_hit(uint32_t tag, uint64_t addr, AccessKind access, HostPhysAddr& hpa,
                      uint64_t& cycles) {
    uint64_t c = 0;
    if (!tlbs_.repeat_hit(tag, addr, access, hpa, c)) return false;
    ++stats_.translations;
    stats_.cycles += c;
    cycles = c;
    return true;
  }
  // Counts the walk `r` that took `walk_cycles` and finishes `t`: the fault, or the result
  // cached in the TLBs under `tag`.
  void finish_walk(Translation& t, const WalkResult& r, uint64_t walk_cycles, uint32_t tag,
                   uint64_t addr, AccessKind access) {
    ++stats_.walks;
    r.steps.add_reads_to(Stage::Stage1, stats_.reads_per_depth[0], kMaxLevels);
    r.steps.add_reads_to(Stage::Stage2, stats_.reads_per_depth[1], kMaxLevels);
    stats_.pte_writes += r.steps.writes();
    stats_.walk_cycles.add(walk_cycles);
    stats_.refs_per_walk.add(r.steps.size());
    t.cycles += walk_cycles;
    t.walk_cycles = walk_cycles;
    t.page_shift = r.leaf_shift;
    stats_.cycles += t.cycles;
    t.source = TranslationSource::Walk;
    if (!r.ok) {
      ++stats_.faults;
      t.fault = r.fault;
      return;
    }
    if (r.s1_leaf_shift > r.leaf_shift) ++stats_.splintered;
    if (tlbs_.enabled()) tlbs_.fill(tag, addr, access, r);
    t.ok = true;
    t.hpa = r.hpa;
  }
  void reset_common_stats() {
    tlbs_.reset_stats();
    stats_ = SchemeStats{};
  }
  // prefix.{translations,walks,...}, prefix.pte_reads.sN.depthD for the depths of each stage,
  // and the TLBs.
  void report_common(StatTree& t, const std::string& prefix, int s1_levels, int s2_levels) const;

  TranslationConfig cfg_;
  TlbFront tlbs_;
  SchemeStats stats_;
};

}  // namespace nptsim
