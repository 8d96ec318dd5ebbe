// Mmu2D: one vCPU's two-dimensional translation path (the trace gives guest-virtual
// addresses): L1 I/D and L2 TLBs of GVA -> HPA entries sized min(stage-1 leaf, stage-2 leaf)
// (splintering counted), a nested TLB of GPA -> HPA for the addresses of stage-1 table
// entries, stage-1 and stage-2 walk caches, and the two-dimensional hardware walk of the real
// tables through a PteMemory. Each structure can be switched off on its own.
#pragma once

#include "models/core/mmu/mmu.h"
#include "models/core/walk/nested_walker.h"

namespace nptsim {

struct Mmu2DConfig {
  MmuConfig tlbs;  // l1d, l1i, l2 and the stage-2 walk caches (walk_cache)
  CacheConfig nested_tlb{true, 32, 4, Replacement::Lru, 1};
  WalkCacheConfig s1_walk_cache;  // stage-1 walk caches, by span, as for stage 2
  uint16_t asid = 1;
};

std::optional<std::string> validate(const Mmu2DConfig& c);

struct Translation2D {
  bool ok = false;
  HostPhysAddr hpa;
  GuestPhysAddr gpa;
  Fault fault;
  TranslationSource source = TranslationSource::Walk;
  uint64_t cycles = 0;
  uint32_t s1_reads = 0, s2_reads = 0;
};

struct Mmu2DStats {
  uint64_t translations = 0, walks = 0, faults = 0;
  uint64_t s1_pte_reads = 0, s2_pte_reads = 0, pte_writes = 0;
  uint64_t s1_reads_per_depth[kMaxLevels] = {}, s2_reads_per_depth[kMaxLevels] = {};
  uint64_t splintered = 0;  // TLB fills smaller than the guest's page (stage 2 maps less)
  uint64_t cycles = 0;
  LatencyHistogram walk_cycles;
  LatencyHistogram refs_per_walk;
};

class Mmu2D {
 public:
  Mmu2D(const Mmu2DConfig& c, Arch arch, const Stage1Regime& s1, const Stage2Regime& s2, PteMemory& mem,
        uint64_t seed);

  Translation2D translate(GuestVirtAddr gva, AccessKind access);
  void reset_stats();

  const Tlb& l1d() const { return l1d_; }
  const Tlb& l1i() const { return l1i_; }
  const Tlb& l2() const { return l2_; }
  const Tlb& nested_tlb() const { return ntlb_; }
  const WalkCache& s1_walk_cache() const { return s1wc_; }
  const WalkCache& s2_walk_cache() const { return s2wc_; }
  const Mmu2DStats& stats() const { return stats_; }

 private:
  // The two-dimensional walk in the formats S1 over S2, the stage-2 translations inlined (no
  // indirect call per stage-2 walk); lookup cycles of the nested TLB and walk caches add to
  // `cycles`.
  template <class S1, class S2>
  WalkResult walk_nested(GuestVirtAddr gva, AccessKind access, const Stage1Start& start, uint64_t& cycles);
  template <class S2>
  S2Translation translate_s2(GuestPhysAddr gpa, AccessKind a, bool stage1_table, WalkSteps& steps, uint64_t& cycles);

  Mmu2DConfig cfg_;
  Arch arch_;
  Stage1Regime s1_;
  Stage2Regime s2_;
  PteMemory& mem_;
  Tlb l1d_, l1i_, l2_, ntlb_;
  WalkCache s1wc_, s2wc_;
  uint32_t s1wc_latency_ = 0, s2wc_latency_ = 0;
  Mmu2DStats stats_;
};

}  // namespace nptsim
