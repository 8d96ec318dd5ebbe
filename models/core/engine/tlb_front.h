// TlbFront: the TLBs in front of every translation scheme: an L1 instruction or data TLB, then
// the unified L2, which refills L1 on a hit. Entries are tagged with one 16-bit tag (the VMID,
// or VMID and ASID combined).
#pragma once

#include <optional>
#include <string>

#include "models/core/engine/translation_config.h"
#include "models/core/stats/stat_tree.h"
#include "models/core/tlb/tlb.h"

namespace nptsim {

class TlbFront {
 public:
  TlbFront(const MmuConfig& c, uint64_t seed)
      : l1d_(c.l1d, seed, c.l1d_large, c.tlb_indexing),
        l1i_(c.l1i, seed + 1, c.l1i_large, c.tlb_indexing),
        l2_(c.l2, seed + 2, c.l2_large, c.tlb_indexing),
        l1_hidden_(c.l1_latency_hidden) {}

  bool enabled() const {
    return l1d_.config().enabled || l1i_.config().enabled || l2_.config().enabled;
  }
  // An L1 TLB is on: without one, repeat_hit() is always false.
  bool l1_enabled() const { return l1d_.config().enabled || l1i_.config().enabled; }
  // The translation of `addr` from L1 or L2, adding each enabled level's hit latency to `cycles`.
  std::optional<TlbPathHit> lookup(uint32_t tag, uint64_t addr, AccessKind a, uint64_t& cycles) {
    return lookup_tlb_path(a == AccessKind::Fetch ? l1i_ : l1d_, l2_, tag, addr, a, cycles,
                           l1_hidden_);
  }
  // A hit on the L1 entry that served the last hit (Tlb::repeat_hit): the translation, adding
  // the L1 hit latency to `cycles` unless it is hidden; false, counting nothing, otherwise.
  bool repeat_hit(uint32_t tag, uint64_t addr, AccessKind a, HostPhysAddr& hpa, uint64_t& cycles) {
    Tlb& l1 = a == AccessKind::Fetch ? l1i_ : l1d_;
    if (!l1.config().enabled) return false;
    const auto hit = l1.repeat_hit(tag, addr, a);
    if (!hit) return false;
    if (!l1_hidden_) cycles += l1.config().hit_latency;
    hpa = hit->hpa;
    return true;
  }
  // Caches a successful walk's leaf in L2 and the L1 of `a`.
  void fill(uint32_t tag, uint64_t addr, AccessKind a, const WalkResult& r) {
    fill_tlb_path(a == AccessKind::Fetch ? l1i_ : l1d_, l2_, tag, addr, r);
  }
  void flush() {
    l1d_.flush();
    l1i_.flush();
    l2_.flush();
  }
  void invalidate_page(uint32_t tag, uint64_t addr) {
    l1d_.invalidate_page(tag, addr);
    l1i_.invalidate_page(tag, addr);
    l2_.invalidate_page(tag, addr);
  }
  void reset_stats() {
    l1d_.reset_stats();
    l1i_.reset_stats();
    l2_.reset_stats();
  }
  // prefix.tlb.{l1d,l1i,l2}.{hits,misses,evictions}
  void report(StatTree& t, const std::string& prefix) const {
    l1d_.report(t, prefix + ".tlb.l1d");
    l1i_.report(t, prefix + ".tlb.l1i");
    l2_.report(t, prefix + ".tlb.l2");
  }

  const Tlb& l1d() const { return l1d_; }
  const Tlb& l1i() const { return l1i_; }
  const Tlb& l2() const { return l2_; }

 private:
  Tlb l1d_, l1i_, l2_;
  bool l1_hidden_;
};

}  // namespace nptsim
