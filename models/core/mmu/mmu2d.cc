#include "models/core/mmu/mmu2d.h"

#include <algorithm>

#include "models/core/arch/arm64_s1/s1_pte.h"
#include "models/core/arch/arm64_s2/s2_walk.h"
#include "models/core/arch/riscv_gstage/gstage_walk.h"
#include "models/core/arch/riscv_sv/sv_pte.h"
#include "models/core/arch/x86_64/x86_pte.h"
#include "models/core/arch/x86_ept/ept_walk.h"

namespace nptsim {

namespace {
uint32_t max_latency(const WalkCache& wc) {
  uint32_t l = 0;
  for (int d = 0; d < wc.depths(); ++d) l = std::max(l, wc.hit_latency(d));
  return l;
}
}  // namespace

std::optional<std::string> validate(const Mmu2DConfig& c) {
  if (auto e = validate(c.tlbs)) return e;
  if (auto e = validate(c.nested_tlb, "tlb.nested")) return e;
  return validate(c.s1_walk_cache, "walk_cache.s1");
}

Mmu2D::Mmu2D(const Mmu2DConfig& c, Arch arch, const Stage1Regime& s1, const Stage2Regime& s2, PteMemory& mem,
             uint64_t seed)
    : cfg_(c),
      arch_(arch),
      s1_(s1),
      s2_(s2),
      mem_(mem),
      l1d_(c.tlbs.l1d, seed),
      l1i_(c.tlbs.l1i, seed + 1),
      l2_(c.tlbs.l2, seed + 2),
      ntlb_(c.nested_tlb, seed + 3),
      s1wc_(s1.geometry, c.s1_walk_cache, seed + 4),
      s2wc_(s2.geometry, c.tlbs.walk_cache, seed + 5),
      s1wc_latency_(max_latency(s1wc_)),
      s2wc_latency_(max_latency(s2wc_)) {}

void Mmu2D::reset_stats() {
  l1d_.reset_stats();
  l1i_.reset_stats();
  l2_.reset_stats();
  ntlb_.reset_stats();
  s1wc_.reset_stats();
  s2wc_.reset_stats();
  stats_ = Mmu2DStats{};
}

template <class S1, class S2>
WalkResult Mmu2D::walk_nested(GuestVirtAddr gva, AccessKind access, const Stage1Start& start, uint64_t& cycles) {
  auto s2 = [&](GuestPhysAddr gpa, AccessKind a, bool table, WalkSteps& steps) {
    return translate_s2<S2>(gpa, a, table, steps, cycles);
  };
  return walk_2d_with<S1>(gva, access, s1_, mem_, s2, start);
}

template <class S2>
S2Translation Mmu2D::translate_s2(GuestPhysAddr gpa, AccessKind a, bool stage1_table, WalkSteps& steps,
                                  uint64_t& cycles) {
  const uint16_t vmid = cfg_.tlbs.vmid;
  S2Translation t;
  if (stage1_table && ntlb_.config().enabled) {
    cycles += ntlb_.config().hit_latency;
    if (auto hit = ntlb_.lookup(vmid, gpa.value(), a)) {
      t.ok = true;
      t.hpa = hit->hpa;
      t.shift = hit->shift;
      t.writable = hit->allows(AccessKind::Write);
      t.permitted = hit->permitted;
      t.tlb_servable = hit->servable;
      return t;
    }
  }
  WalkStart start;
  if (s2wc_.enabled()) {
    cycles += s2wc_latency_;
    if (auto s = s2wc_.lookup(vmid, gpa.value())) start = *s;
  }
  const WalkResult w = walk_stage2_with<S2>(gpa, a, s2_, mem_, start, &steps);
  if (s2wc_.enabled()) s2wc_.fill(vmid, gpa.value(), w, start.depth);
  // The fault is copied only when there is one: copying the default one reads bytes the walk
  // has just stored one by one, and the host stalls on that (a failed store forward).
  if (!w.ok) {
    t.fault = w.fault;
    return t;
  }
  t.ok = true;
  t.hpa = w.hpa;
  t.shift = w.leaf_shift;
  t.writable = w.write_permitted();
  t.permitted = w.permitted;
  t.tlb_servable = w.tlb_servable;
  if (stage1_table && ntlb_.config().enabled) {
    const HostPhysAddr base(w.hpa.value() & ~((uint64_t{1} << w.leaf_shift) - 1));
    ntlb_.insert(vmid, gpa.value(), w.leaf_shift, base, w.permitted, w.tlb_servable);
  }
  return t;
}

Translation2D Mmu2D::translate(GuestVirtAddr gva, AccessKind access) {
  Translation2D t;
  ++stats_.translations;
  Tlb& l1 = access == AccessKind::Fetch ? l1i_ : l1d_;
  // TLB entries are tagged with the VMID and the ASID.
  const auto tag = static_cast<uint16_t>(cfg_.tlbs.vmid * 257u + cfg_.asid);
  const bool tlbs_on = l1.config().enabled || l2_.config().enabled;
  if (auto hit = tlbs_on ? lookup_tlb_path(l1, l2_, tag, gva.value(), access, t.cycles) : std::nullopt) {
    t.ok = true;
    t.hpa = hit->hpa;
    t.source = hit->from_l1 ? TranslationSource::L1Tlb : TranslationSource::L2Tlb;
    stats_.cycles += t.cycles;
    return t;
  }
  uint64_t walk_cycles = 0;
  Stage1Start start;
  if (s1wc_.enabled()) {
    walk_cycles += s1wc_latency_;
    if (auto s = s1wc_.lookup(cfg_.asid, gva.value())) start = Stage1Start{s->depth, GuestPhysAddr(s->table.value()), s->path};
  }
  const uint64_t before = mem_.cycles();
  uint64_t lookup_cycles = 0;
  const WalkResult r = [&] {
    switch (arch_) {
      case Arch::X86_64: return walk_nested<x86_64::X86WalkRules, x86_ept::EptWalkRules>(gva, access, start, lookup_cycles);
      case Arch::AArch64: return walk_nested<arm64_s1::S1WalkRules, arm64_s2::S2WalkRules>(gva, access, start, lookup_cycles);
      case Arch::RiscV64: break;
    }
    return walk_nested<riscv_sv::SvWalkRules, riscv_gstage::GstageWalkRules>(gva, access, start, lookup_cycles);
  }();
  walk_cycles += lookup_cycles + (mem_.cycles() - before);
  ++stats_.walks;
  const uint64_t refs = r.steps.size();
  t.s1_reads = r.steps.add_reads_to(Stage::Stage1, stats_.s1_reads_per_depth, kMaxLevels);
  t.s2_reads = r.steps.add_reads_to(Stage::Stage2, stats_.s2_reads_per_depth, kMaxLevels);
  stats_.s1_pte_reads += t.s1_reads;
  stats_.s2_pte_reads += t.s2_reads;
  stats_.pte_writes += r.steps.writes();
  stats_.walk_cycles.add(walk_cycles);
  stats_.refs_per_walk.add(refs);
  t.cycles += walk_cycles;
  stats_.cycles += t.cycles;
  t.source = TranslationSource::Walk;
  if (!r.ok) {
    ++stats_.faults;
    t.fault = r.fault;
    return t;
  }
  // Stage-1 walk cache: the stage-1 table pointers of this walk (GPAs).
  if (s1wc_.enabled()) s1wc_.fill(cfg_.asid, gva.value(), r, start.depth);
  if (r.s1_leaf_shift > r.leaf_shift) ++stats_.splintered;
  if (tlbs_on) fill_tlb_path(l1, l2_, tag, gva.value(), r);
  t.ok = true;
  t.hpa = r.hpa;
  t.gpa = r.gpa;
  return t;
}

}  // namespace nptsim
