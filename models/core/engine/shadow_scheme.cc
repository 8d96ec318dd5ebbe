// The "shadow" scheme: shadow paging, the classic alternative to nested paging. The hypervisor
// keeps, per guest address space, a shadow table mapping guest-virtual pages straight to
// host-physical ones, in the guest's own page-table format, in host memory; the hardware walks
// it one-dimensionally (at most n references for an n-level guest), and the TLBs cache its
// leaves. A TLB miss whose shadow entry is missing is a VM exit: the hypervisor walks the guest's
// tables and stage 2 in software (through the caches) and writes the shadow entry (leaf of the
// smaller of the guest's and stage 2's pages; tables from the host allocator), then the hardware
// walk retries. The walk caches (walk_cache.s1.*) cache the shadow table's upper levels, as a
// native walk's paging-structure caches do. A guest page fault found by that software walk goes to
// the guest (the platform injects it; the guest's page-table writes then trap,
// engine/translation_scheme.h SchemeInfo::traps); a stage-2 fault goes to the
// hypervisor. Invalidations: a guest page (INVLPG and the like, which trap) drops the TLB entry and
// the shadow leaf; the guest's whole address space only the TLBs (shadow tables are kept per
// address space); any stage-2 change zaps every shadow table.
#include "models/core/arch/arch_formats.h"
#include "models/core/engine/scheme_base.h"
#include "models/core/mem/frame_allocator.h"
#include "models/core/mem/phys_mem.h"

namespace nptsim {

namespace {

MappingFlags flags_of(AccessMask m) {
  MappingFlags f(MappingFlags::USER);
  if (m & access_bit(AccessKind::Read)) f = f | MappingFlags(MappingFlags::READ);
  if (m & access_bit(AccessKind::Write)) f = f | MappingFlags(MappingFlags::WRITE);
  if (m & access_bit(AccessKind::Fetch)) f = f | MappingFlags(MappingFlags::EXECUTE);
  return f;
}

struct ShadowStats {
  uint64_t exits = 0;         // shadow faults: TLB misses without a shadow entry
  uint64_t fills = 0;         // shadow leaves written
  uint64_t table_frames = 0;  // shadow table frames allocated
  uint64_t zaps = 0;          // every shadow table dropped (a stage-2 change)
  uint64_t hypervisor_cycles = 0;
};

template <class S1, class S2>
class ShadowScheme final : public SchemeBase {
 public:
  explicit ShadowScheme(const SchemeContext& c)
      : SchemeBase(c),
        arch_(c.arch),
        s1_(*c.s1),
        s2_(c.s2),
        mem_(c.mem),
        frames_(*c.frames),
        phys_(*c.phys),
        wc_(c.s1->geometry, c.config.s1_walk_cache, c.seed + 4) {
    shadow_ = s1_;
    shadow_.table_access_is_write = false;
    shadow_.arm_hw_af = shadow_.riscv_hw_ad = true;
    shadow_.root = GuestPhysAddr(0);  // made at the first fill
  }

  bool repeat_hit(uint64_t gva, AccessKind access, HostPhysAddr& hpa, uint64_t& cycles) override {
    return repeat_tlb_hit(tag(), gva, access, hpa, cycles);
  }

  Translation translate(uint64_t gva, AccessKind access) override {
    Translation t;
    if (tlb_hit(t, tag(), gva, access)) return t;
    const uint64_t before = mem_.cycles();
    uint64_t extra = 0;  // walk-cache lookups and the hypervisor's work (not memory reads)
    WalkResult r = shadow_walk(gva, access, &extra);
    if (!r.ok) {
      count_missed_walk(r);
      WalkResult guest;
      extra += fill(gva, access, guest);
      if (!guest.ok) {  // the guest's fault (stage 1) or stage 2's: the platform resolves it
        guest.steps = WalkSteps{};
        finish_walk(t, guest, extra + (mem_.cycles() - before), tag(), gva, access);
        return t;
      }
      r = shadow_walk(gva, access, &extra);
    }
    finish_walk(t, r, extra + (mem_.cycles() - before), tag(), gva, access);
    return t;
  }

  void invalidate(const Invalidation& what) override {
    switch (what.scope) {
      case Invalidation::Stage1Address:
        tlbs_.invalidate_page(tag(), what.addr);
        drop_leaf(what.addr);
        wc_.flush();
        return;
      case Invalidation::Stage1All:
        tlbs_.flush();
        wc_.flush();
        return;
      case Invalidation::Stage2Address:
      case Invalidation::All:
        tlbs_.flush();
        wc_.flush();
        zap();
        return;
    }
  }
  void reset_stats() override {
    reset_common_stats();
    wc_.reset_stats();
    shadow_stats_ = ShadowStats{};
  }
  void report(StatTree& t, const std::string& prefix) const override {
    report_common(t, prefix, s1_.geometry.levels, s2_.geometry.levels);
    t.count(prefix + ".shadow.exits", shadow_stats_.exits);
    t.count(prefix + ".shadow.fills", shadow_stats_.fills);
    t.count(prefix + ".shadow.table_frames", shadow_stats_.table_frames);
    t.count(prefix + ".shadow.zaps", shadow_stats_.zaps);
    t.count(prefix + ".shadow.hypervisor_cycles", shadow_stats_.hypervisor_cycles);
    wc_.report(t, prefix + ".walk_cache.s1");
  }
  const WalkCache* walk_cache(Stage s) const override {
    return s == Stage::Stage1 ? &wc_ : nullptr;
  }

 private:
  uint32_t tag() const { return uint32_t{cfg_.mmu.vmid} << 16 | cfg_.asid; }

  // The hardware's one-dimensional walk of the shadow table (its addresses are host-physical),
  // from the deepest table the walk caches hold (walk_cache.s1.*: the native paging-structure
  // caches). Their lookup latency goes to `cycles`.
  WalkResult shadow_walk(uint64_t gva, AccessKind access, uint64_t* cycles = nullptr) {
    if (shadow_.root.value() == 0) {
      WalkResult r;
      r.fault = Fault{
          Stage::Stage1, FaultKind::Translation, 0, GuestPhysAddr(0), GuestVirtAddr(gva), false, 0};
      return r;
    }
    auto identity = [](GuestPhysAddr a, AccessKind, bool, WalkSteps&) {
      S2Translation s;
      s.ok = true;
      s.hpa = HostPhysAddr(a.value());
      s.shift = 30;
      return s;
    };
    Stage1Start start;
    if (wc_.enabled() && cycles) {
      *cycles += wc_.max_hit_latency();
      if (auto st = wc_.lookup<GuestPhysAddr>(cfg_.asid, gva)) start = *st;
    }
    WalkResult r = walk_2d_with<S1>(GuestVirtAddr(gva), access, shadow_, mem_, identity, start,
                                    tlbs_.enabled());
    if (r.ok && wc_.enabled() && cycles) wc_.fill(cfg_.asid, gva, r, start.depth);
    return r;
  }

  void count_missed_walk(const WalkResult& r) {
    ++stats_.walks;
    ++stats_.faults;
    r.steps.add_reads_to(Stage::Stage1, stats_.reads_per_depth[0], kMaxLevels);
    stats_.refs_per_walk.add(r.steps.size());
  }

  // The shadow fault: a VM exit, the software walk of the guest's tables over stage 2 into
  // `guest`, and when it succeeds the shadow entries. Returns the hypervisor's cycles.
  uint64_t fill(uint64_t gva, AccessKind access, WalkResult& guest) {
    const ShadowCosts& c = cfg_.shadow;
    uint64_t cycles = 0;
    // The retry after a stage-2 fault the hypervisor resolved (a lazy page) continues that exit.
    const uint64_t page = gva & ~(kPageSize4K - 1);
    if (!(continuing_ && continuing_page_ == page)) {
      ++shadow_stats_.exits;
      cycles = uint64_t{c.vm_exit} + c.handler;
    }
    continuing_ = false;
    guest = walk_2d<S1, S2>(GuestVirtAddr(gva), access, s1_, s2_, mem_);  // no nested TLB, no PWC
    if (guest.ok) cycles += write_shadow(gva, guest);
    if (!guest.ok && guest.fault.stage == Stage::Stage2) {
      continuing_ = true;
      continuing_page_ = page;
    }
    shadow_stats_.hypervisor_cycles += cycles;
    return cycles;
  }

  // A zeroed host frame for a shadow table, or nothing.
  std::optional<HostPhysAddr> table_frame(uint64_t& cycles) {
    auto f = frames_.alloc_frame();
    if (!f) return std::nullopt;
    phys_.discard_frame(*f);
    tables_.push_back(f->value());
    ++shadow_stats_.table_frames;
    cycles += uint64_t{cfg_.shadow.alloc} + cfg_.shadow.zero_page + cfg_.shadow.entry_write;
    return f;
  }

  // Writes the shadow leaf for the guest walk `g` (2 MiB when both stages map at least that,
  // else 4 KiB), making the tables above it. Returns the cycles.
  uint64_t write_shadow(uint64_t gva, const WalkResult& g) {
    uint64_t cycles = 0;
    if (shadow_.root.value() == 0) {
      auto root = table_frame(cycles);
      if (!root) return cycles;  // the host is out of frames: the walk retries and faults
      shadow_.root = GuestPhysAddr(root->value());
    }
    const Geometry& geo = shadow_.geometry;
    const bool huge = g.leaf_shift >= 21;
    const int leaf_depth = huge ? geo.levels - 2 : geo.levels - 1;
    uint64_t table = shadow_.root.value();
    for (int d = 0; d < leaf_depth; ++d) {
      const HostPhysAddr e(table + geo.index(d, gva) * 8);
      uint64_t raw = phys_.read_u64(e);
      if (raw == 0) {
        auto next = table_frame(cycles);
        if (!next) return cycles;
        raw = stage1_table_entry(arch_, GuestPhysAddr(next->value()));
        // x86 paging-structure entries carry an accessed flag the walker would otherwise set
        // (Intel SDM vol. 3A §4.8): shadow entries are written with it set, as leaves with A/D.
        if (arch_ == Arch::X86_64) raw |= uint64_t{1} << 5;
        phys_.write_u64(e, raw);
      }
      table = stage1_table_address(arch_, raw).value();
    }
    const uint64_t mask = huge ? kPageSize2M - 1 : kPageSize4K - 1;
    uint64_t leaf = stage1_leaf_entry(arch_, GuestPhysAddr(g.hpa.value() & ~mask),
                                      flags_of(g.permitted), huge, true);
    if (arch_ == Arch::X86_64) leaf |= uint64_t{3} << 5;  // accessed and dirty, as preset elsewhere
    phys_.write_u64(HostPhysAddr(table + geo.index(leaf_depth, gva) * 8), leaf);
    ++shadow_stats_.fills;
    return cycles + cfg_.shadow.entry_write;
  }

  // Clears the shadow leaf mapping `gva`, if any (found by a walk of the shadow table).
  void drop_leaf(uint64_t gva) {
    const WalkResult r = shadow_walk(gva, AccessKind::Read);
    if (!r.ok) return;
    const uint64_t table =
        r.leaf_depth == 0 ? shadow_.root.value() : r.next_table[r.leaf_depth - 1];
    phys_.write_u64(HostPhysAddr(table + shadow_.geometry.index(r.leaf_depth, gva) * 8), 0);
  }

  // Drops every shadow table: they are rebuilt by later shadow faults.
  void zap() {
    if (tables_.empty()) return;
    for (uint64_t t : tables_) {
      phys_.discard_frame(HostPhysAddr(t));
      frames_.dealloc_frame(HostPhysAddr(t));
    }
    tables_.clear();
    shadow_.root = GuestPhysAddr(0);
    ++shadow_stats_.zaps;
  }

  Arch arch_;
  Stage1Regime s1_, shadow_;
  Stage2Regime s2_;
  PteMemory& mem_;
  FrameAllocator& frames_;
  PhysMem& phys_;
  WalkCache wc_;  // the paging-structure caches, over the shadow table
  ShadowStats shadow_stats_;
  std::vector<uint64_t> tables_;  // every shadow table frame, root first
  bool continuing_ = false;       // the last fill ended in a stage-2 fault on this page
  uint64_t continuing_page_ = 0;
};

}  // namespace

std::unique_ptr<TranslationScheme> make_shadow_scheme(const SchemeContext& c) {
  return visit_formats(c.arch, [&](auto s1, auto s2) -> std::unique_ptr<TranslationScheme> {
    return std::make_unique<
        ShadowScheme<typename decltype(s1)::Rules, typename decltype(s2)::Rules>>(c);
  });
}

}  // namespace nptsim
