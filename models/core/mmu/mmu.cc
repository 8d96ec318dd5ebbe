#include "models/core/mmu/mmu.h"

#include <algorithm>

namespace nptsim {

std::optional<std::string> validate(const MmuConfig& c) {
  if (auto e = validate(c.l1d, "tlb.l1d")) return e;
  if (auto e = validate(c.l1i, "tlb.l1i")) return e;
  if (auto e = validate(c.l2, "tlb.l2")) return e;
  return validate(c.walk_cache, "walk_cache.s2");
}

Mmu::Mmu(const MmuConfig& c, Arch arch, const Stage2Regime& regime, PteMemory& mem, uint64_t seed)
    : cfg_(c),
      arch_(arch),
      regime_(regime),
      mem_(mem),
      l1d_(c.l1d, seed),
      l1i_(c.l1i, seed + 1),
      l2_(c.l2, seed + 2),
      wc_(regime.geometry, c.walk_cache, seed + 3) {
  for (int d = 0; d < wc_.depths(); ++d) wc_latency_ = std::max(wc_latency_, wc_.hit_latency(d));
}

void Mmu::flush() {
  l1d_.flush();
  l1i_.flush();
  l2_.flush();
  wc_.flush();
}

void Mmu::reset_stats() {
  l1d_.reset_stats();
  l1i_.reset_stats();
  l2_.reset_stats();
  wc_.reset_stats();
  stats_ = MmuStats{};
}

Translation Mmu::translate(GuestPhysAddr gpa, AccessKind access) {
  Translation t;
  ++stats_.translations;
  Tlb& l1 = access == AccessKind::Fetch ? l1i_ : l1d_;
  const uint16_t vmid = cfg_.vmid;
  if (auto hit = lookup_tlb_path(l1, l2_, vmid, gpa.value(), access, t.cycles)) {
    t.ok = true;
    t.hpa = hit->hpa;
    t.source = hit->from_l1 ? TranslationSource::L1Tlb : TranslationSource::L2Tlb;
    stats_.cycles += t.cycles;
    return t;
  }

  // Walk, resuming below the deepest walk-cache hit.
  uint64_t walk_cycles = 0;
  WalkStart start;
  if (wc_.enabled()) {
    walk_cycles += wc_latency_;
    if (auto s = wc_.lookup(vmid, gpa.value())) start = *s;
  }
  const uint64_t before = mem_.cycles();
  const WalkResult r = walk_stage2(arch_, gpa, access, regime_, mem_, start);
  walk_cycles += mem_.cycles() - before;
  ++stats_.walks;
  t.pte_reads = r.steps.add_reads_to(Stage::Stage2, stats_.pte_reads_per_depth, kMaxLevels);
  stats_.pte_reads += t.pte_reads;
  stats_.pte_writes += r.steps.writes();
  stats_.walk_cycles.add(walk_cycles);
  stats_.refs_per_walk.add(r.steps.size());
  t.cycles += walk_cycles;
  stats_.cycles += t.cycles;
  wc_.fill(vmid, gpa.value(), r, start.depth);
  t.source = TranslationSource::Walk;
  if (!r.ok) {
    ++stats_.faults;
    t.fault = r.fault;
    return t;
  }
  fill_tlb_path(l1, l2_, vmid, gpa.value(), r);
  t.ok = true;
  t.hpa = r.hpa;
  return t;
}

}  // namespace nptsim
