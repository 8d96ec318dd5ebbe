// The "stage2" scheme: guest-physical trace addresses through the TLBs, the stage-2 walk caches
// and the hardware stage-2 walk of the format's tables (walk/stage2_walker.h).
#include "models/core/arch/arch_formats.h"
#include "models/core/engine/scheme_base.h"

namespace nptsim {

namespace {

template <class S2>
class Stage2Scheme final : public SchemeBase {
 public:
  explicit Stage2Scheme(const SchemeContext& c)
      : SchemeBase(c),
        regime_(c.s2),
        mem_(c.mem),
        wc_(c.s2.geometry, c.config.mmu.walk_cache, c.seed + 3) {}

  bool repeat_hit(uint64_t gpa, AccessKind access, HostPhysAddr& hpa, uint64_t& cycles) override {
    return repeat_tlb_hit(cfg_.mmu.vmid, gpa, access, hpa, cycles);
  }

  Translation translate(uint64_t gpa, AccessKind access) override {
    Translation t;
    const uint16_t vmid = cfg_.mmu.vmid;
    if (tlb_hit(t, vmid, gpa, access)) return t;
    // Walk, resuming below the deepest walk-cache hit.
    uint64_t walk_cycles = 0;
    WalkStart start;
    if (wc_.enabled()) {
      walk_cycles += wc_.max_hit_latency();
      if (auto s = wc_.lookup<HostPhysAddr>(vmid, gpa)) start = *s;
    }
    const uint64_t before = mem_.cycles();
    const WalkResult r = walk_stage2_with<S2>(GuestPhysAddr(gpa), access, regime_, mem_, start,
                                              nullptr, tlbs_.enabled());
    walk_cycles += mem_.cycles() - before;
    wc_.fill(vmid, gpa, r, start.depth);
    finish_walk(t, r, walk_cycles, vmid, gpa, access);
    return t;
  }

  void invalidate(const Invalidation& what) override {
    // Guest-physical translations only: stage-1 scopes have nothing to drop here.
    if (what.scope == Invalidation::Stage1All || what.scope == Invalidation::Stage1Address) return;
    if (what.scope == Invalidation::Stage2Address) {
      tlbs_.invalidate_page(cfg_.mmu.vmid, what.addr);
    } else {
      tlbs_.flush();
    }
    wc_.flush();
  }
  void reset_stats() override {
    reset_common_stats();
    wc_.reset_stats();
  }
  void report(StatTree& t, const std::string& prefix) const override {
    report_common(t, prefix, 0, regime_.geometry.levels);
    wc_.report(t, prefix + ".walk_cache.s2");
  }
  const WalkCache* walk_cache(Stage s) const override {
    return s == Stage::Stage2 ? &wc_ : nullptr;
  }

 private:
  Stage2Regime regime_;
  PteMemory& mem_;
  WalkCache wc_;
};

}  // namespace

std::unique_ptr<TranslationScheme> make_stage2_scheme(const SchemeContext& c) {
  return visit_formats(c.arch, [&](auto, auto s2) -> std::unique_ptr<TranslationScheme> {
    return std::make_unique<Stage2Scheme<typename decltype(s2)::Rules>>(c);
  });
}

}  // namespace nptsim
