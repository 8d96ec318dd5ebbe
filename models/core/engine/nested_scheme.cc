// The "nested" scheme: guest-virtual trace addresses through the TLBs (GVA -> HPA entries sized
// min(stage-1 leaf, stage-2 leaf), splintering counted), a nested TLB of GPA -> HPA for the
// addresses of stage-1 table entries, stage-1 and stage-2 walk caches, and the two-dimensional
// hardware walk of the real tables (walk/nested_walker.h). Each structure can be switched off
// on its own.
// The "agile" scheme is the same path with agile paging's shadow upper levels in front
// (engine/agile_upper.h): the walk reads them one-dimensionally down to the guest's leaf level,
// then walks that level two-dimensionally; a missing upper entry exits to the hypervisor.
#include <memory>

#include "models/core/arch/arch_formats.h"
#include "models/core/engine/agile_upper.h"
#include "models/core/engine/scheme_base.h"

namespace nptsim {

namespace {

template <class S1, class S2>
class NestedScheme final : public SchemeBase {
 public:
  NestedScheme(const SchemeContext& c, bool agile)
      : SchemeBase(c),
        s1_(*c.s1),
        s2_(c.s2),
        mem_(c.mem),
        ntlb_(c.config.nested_tlb, c.seed + 3),
        s2wc_(c.s2.geometry, c.config.mmu.walk_cache, c.seed + 5),
        s1wc_(c.config.stage_tagged_walk_cache
                  ? WalkCache(c.s1->geometry, c.config.s1_walk_cache, c.seed + 4, s2wc_, 1)
                  : WalkCache(c.s1->geometry, c.config.s1_walk_cache, c.seed + 4)) {
    if (agile) {
      upper_ =
          std::make_unique<AgileUpper>(c.arch, c.s1->geometry, *c.frames, *c.phys, c.config.shadow);
    }
  }

  bool repeat_hit(uint64_t gva, AccessKind access, HostPhysAddr& hpa, uint64_t& cycles) override {
    return repeat_tlb_hit(tag(), gva, access, hpa, cycles);
  }

  Translation translate(uint64_t gva, AccessKind access) override {
    Translation t;
    if (tlb_hit(t, tag(), gva, access)) return t;
    uint64_t walk_cycles = 0;
    Stage1Start start;
    if (s1wc_.enabled()) {
      walk_cycles += s1wc_.max_hit_latency();
      if (auto s = s1wc_.lookup<GuestPhysAddr>(cfg_.asid, gva)) start = *s;
    }
    const uint64_t before = mem_.cycles();
    uint64_t lookup_cycles = 0;  // nested TLB and stage-2 walk-cache lookups
    auto s2 = [&](GuestPhysAddr gpa, AccessKind a, bool table, WalkSteps& steps) {
      return translate_s2(gpa, a, table, steps, lookup_cycles);
    };
    const WalkResult r =
        upper_ && start.depth < upper_->switch_depth()
            ? agile_walk(gva, access, s2, start, walk_cycles)
            : walk_2d_with<S1>(GuestVirtAddr(gva), access, s1_, mem_, s2, start, tlbs_.enabled());
    walk_cycles += lookup_cycles + (mem_.cycles() - before);
    if (r.ok && s1wc_.enabled())
      s1wc_.fill(cfg_.asid, gva, r, start.depth);  // stage-1 table pointers (GPAs)
    finish_walk(t, r, walk_cycles, tag(), gva, access);
    return t;
  }

  void invalidate(const Invalidation& what) override {
    switch (what.scope) {
      case Invalidation::Stage1Address:
        tlbs_.invalidate_page(tag(), what.addr);
        s1wc_.flush();
        return;
      case Invalidation::Stage1All:
        tlbs_.flush();
        s1wc_.flush();
        return;
      case Invalidation::Stage2Address:
        ntlb_.invalidate_page(cfg_.mmu.vmid, what.addr);
        break;
      case Invalidation::All:
        ntlb_.flush();
        break;
    }
    tlbs_.flush();  // combined entries cannot be found by guest-physical address
    s1wc_.flush();
    s2wc_.flush();
  }
  void reset_stats() override {
    reset_common_stats();
    if (upper_) upper_->reset_stats();
    ntlb_.reset_stats();
    s1wc_.reset_stats();
    s2wc_.reset_stats();
  }
  void report(StatTree& t, const std::string& prefix) const override {
    report_common(t, prefix, s1_.geometry.levels, s2_.geometry.levels);
    ntlb_.report(t, prefix + ".tlb.nested");
    s1wc_.report(t, prefix + ".walk_cache.s1");
    s2wc_.report(t, prefix + ".walk_cache.s2");
    if (upper_) upper_->report(t, prefix + ".agile");
  }
  const WalkCache* walk_cache(Stage s) const override {
    return s == Stage::Stage1 ? &s1wc_ : &s2wc_;
  }
  const Tlb* nested_tlb() const override { return &ntlb_; }

 private:
  // Agile paging's walk from `from` (the root, or an upper table the walk cache held): the shadow
  // upper levels one-dimensionally (a miss exits and fills them), then the leaf level
  // two-dimensionally from the guest's table they lead to. When the upper levels cannot be
  // filled, the guest's (or stage 2's) fault that the software walk met. `cycles` receives the
  // hypervisor's.
  template <class S2Fn>
  WalkResult agile_walk(uint64_t gva, AccessKind access, S2Fn& s2, const Stage1Start& from,
                        uint64_t& cycles) {
    WalkSteps upper;
    uint64_t tables[8] = {};
    Stage1Start start = from;
    if (!upper_->walk(gva, mem_, upper, start, tables)) {
      WalkResult guest;
      cycles += agile_miss(gva, access, guest);
      start = from;
      if (!upper_->walk(gva, mem_, upper, start, tables)) {
        guest.ok = false;  // (also when the host had no frame for an upper table)
        guest.steps = upper;
        return guest;
      }
    }
    WalkResult r =
        walk_2d_with<S1>(GuestVirtAddr(gva), access, s1_, mem_, s2, start, tlbs_.enabled());
    WalkSteps all = upper;
    for (const WalkStep& step : r.steps) all.push(step);
    r.steps = all;
    // The upper tables, for the walk cache (which then resumes the upper walk below them).
    for (int d = from.depth; d < start.depth; ++d) {
      r.next_table[d] = tables[d];
      r.path[d] = start.path;
    }
    return r;
  }

  // Agile paging's upper-level miss: a VM exit whose software walk of the guest's tables over
  // stage 2 (`guest`) fills the upper levels when it reaches the leaf level (a fault above it is
  // the guest's or stage 2's, for the platform). Returns the hypervisor's cycles.
  uint64_t agile_miss(uint64_t gva, AccessKind access, WalkResult& guest) {
    uint64_t cycles = upper_->exit(gva);
    guest = walk_2d<S1, S2>(GuestVirtAddr(gva), access, s1_, s2_, mem_);
    if (upper_->reaches_switch(guest)) {
      cycles += upper_->fill(gva, guest);
    } else if (!guest.ok && guest.fault.stage == Stage::Stage2) {
      upper_->continue_after_stage2_fault(gva);
    }
    return cycles;
  }

  // TLB entries are tagged with the full VMID and ASID: no two (VMID, ASID) pairs alias.
  uint32_t tag() const { return uint32_t{cfg_.mmu.vmid} << 16 | cfg_.asid; }

  // A stage-2 translation for the two-dimensional walk: the nested TLB (guest table entries
  // only), then the stage-2 walk caches and walk, whose steps go to `steps`.
  S2Translation translate_s2(GuestPhysAddr gpa, AccessKind a, bool stage1_table, WalkSteps& steps,
                             uint64_t& cycles) {
    const uint16_t vmid = cfg_.mmu.vmid;
    S2Translation t;
    const bool ntlb_on = stage1_table && ntlb_.config().enabled;
    if (ntlb_on) {
      cycles += ntlb_.config().hit_latency;
      if (auto hit = ntlb_.lookup(vmid, gpa.value(), a)) {
        t.ok = true;
        t.hpa = hit->hpa;
        t.shift = hit->shift;
        t.permitted = hit->permitted;
        t.tlb_servable = hit->servable;
        return t;
      }
    }
    WalkStart start;
    if (s2wc_.enabled()) {
      cycles += s2wc_.max_hit_latency();
      if (auto s = s2wc_.lookup<HostPhysAddr>(vmid, gpa.value())) start = *s;
    }
    // The TLB masks of a guest table entry's translation matter only to the nested TLB, those
    // of the final translation only to the TLBs.
    const bool masks = stage1_table ? ntlb_on : tlbs_.enabled();
    const WalkResult w = walk_stage2_with<S2>(gpa, a, s2_, mem_, start, &steps, masks);
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
    t.permitted = w.permitted;
    t.tlb_servable = w.tlb_servable;
    if (ntlb_on) {
      const HostPhysAddr base(w.hpa.value() & ~((uint64_t{1} << w.leaf_shift) - 1));
      ntlb_.insert(vmid, gpa.value(), w.leaf_shift, base, w.permitted, w.tlb_servable);
    }
    return t;
  }

  Stage1Regime s1_;
  Stage2Regime s2_;
  PteMemory& mem_;
  Tlb ntlb_;
  WalkCache s2wc_, s1wc_;              // stage 2 first: a stage-tagged stage 1 shares its arrays
  std::unique_ptr<AgileUpper> upper_;  // agile paging only
};

}  // namespace

std::unique_ptr<TranslationScheme> make_nested_scheme(const SchemeContext& c) {
  return visit_formats(c.arch, [&](auto s1, auto s2) -> std::unique_ptr<TranslationScheme> {
    return std::make_unique<
        NestedScheme<typename decltype(s1)::Rules, typename decltype(s2)::Rules>>(c, false);
  });
}

std::unique_ptr<TranslationScheme> make_agile_scheme(const SchemeContext& c) {
  return visit_formats(c.arch, [&](auto s1, auto s2) -> std::unique_ptr<TranslationScheme> {
    return std::make_unique<
        NestedScheme<typename decltype(s1)::Rules, typename decltype(s2)::Rules>>(c, true);
  });
}

}  // namespace nptsim
