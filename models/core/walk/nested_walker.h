// The two-dimensional walk (DESIGN.md convention 4): the walk loop (walk/walk_loop.h) over the
// guest's stage-1 tables, every one of whose entries lives at a guest-physical address that stage
// 2 translates before the entry is read; the final guest-physical address is translated by stage
// 2 too. A cold 4 KiB walk of n stage-1 over m stage-2 levels reads (n+1)(m+1)-1 entries. Faults
// say which stage failed, at which level, for which GVA and GPA, and whether a stage-2 fault hit
// a stage-1 table access.
//
// A stage-1 A/D update is a write to the entry's guest-physical address: it goes to the host
// address found for the entry's read and needs the stage-2 translation of that read to allow
// writes, else it is a stage-2 permission fault on the walk (Intel SDM vol. 3C §29.3.3.2; Arm
// ARM stage-2 fault on a stage-1 walk; RISC-V §9.5 implicit accesses). The emulators in
// tests/oracles deviate here (tests/oracles/DEVIATIONS.md).
#pragma once

#include <algorithm>

#include "models/core/walk/stage2_walker.h"

namespace nptsim {

// What a stage-2 translation of a GPA gave a two-dimensional walk (from a nested TLB, or a walk
// whose steps the translator appended).
struct S2Translation {
  bool ok = false;
  HostPhysAddr hpa;
  uint8_t shift = 12;                    // the stage-2 leaf's span
  AccessMask permitted = kAllAccess;     // as WalkResult::permitted, of the stage-2 leaf
  AccessMask tlb_servable = kAllAccess;  // as WalkResult::tlb_servable, of the stage-2 leaf
  Fault fault;                           // when !ok (a stage-2 fault)
  // The translation also allows writes (checked for stage-1 A/D updates).
  bool writable() const { return permitted & access_bit(AccessKind::Write); }
};

namespace detail {
// Stage 1's tables are guest-physical: each entry's address, and the final address, go through
// the stage-2 translator `s2`:
//   S2Translation s2(GuestPhysAddr gpa, AccessKind a, bool stage1_table, WalkSteps& steps)
template <class S2Fn>
struct NestedTranslator {
  using Addr = GuestPhysAddr;
  static constexpr Stage kStage = Stage::Stage1;
  static constexpr FaultKind kOutOfRange = FaultKind::NonCanonical;
  GuestVirtAddr gva;
  AccessKind access;
  AccessKind table_access;  // a write when stage 2 treats guest table accesses as writes
  S2Fn& s2;
  bool masks = true;

  void fault(WalkResult& r, Stage st, FaultKind kind, int level, GuestPhysAddr gpa, bool on_table,
             int s1_level) const {
    r.ok = false;
    r.fault = Fault{st,  kind,     static_cast<int8_t>(level),   gpa,
                    gva, on_table, static_cast<int8_t>(s1_level)};
  }
  std::optional<EntryRef> entry(GuestPhysAddr pte, int depth, WalkResult& r) const {
    const S2Translation t = s2(pte, table_access, true, r.steps);
    if (!t.ok)
      return fault(r, Stage::Stage2, t.fault.kind, t.fault.level, pte, true, depth), std::nullopt;
    return EntryRef{t.hpa, t.writable()};
  }
  void own_fault(WalkResult& r, FaultKind kind, int depth) const {
    fault(r, Stage::Stage1, kind, depth, {}, false, depth);
  }
  void write_denied(WalkResult& r, GuestPhysAddr pte, int depth) const {
    fault(r, Stage::Stage2, FaultKind::Permission, 0, pte, true, depth);
  }
  void leaf(WalkResult& r, uint64_t out_base, unsigned shift, int depth) const {
    r.s1_leaf_shift = static_cast<uint8_t>(shift);
    r.gpa = GuestPhysAddr(out_base + (gva.value() & ((uint64_t{1} << shift) - 1)));
    // The final access, translated by stage 2; the TLB entry combines both stages.
    const S2Translation f = s2(r.gpa, access, false, r.steps);
    if (!f.ok) return fault(r, Stage::Stage2, f.fault.kind, f.fault.level, r.gpa, false, depth);
    r.permitted &= f.permitted;
    r.tlb_servable &= f.tlb_servable;
    r.ok = true;
    r.hpa = f.hpa;
    r.leaf_shift =
        static_cast<uint8_t>(std::min<unsigned>(shift, f.shift));  // the TLB entry's span
    page_size_for_shift(r.leaf_shift, &r.size);
  }
};
}  // namespace detail

// The walk with a caller-supplied stage-2 translator (which appends whatever stage-2 references
// it makes to `steps`) and a stage-1 start (after a stage-1 walk-cache hit). Without `tlb_masks`
// the stage-1 leaf's TLB masks are not computed (no TLB will hold the result).
template <class S1, class Mem, class S2Fn>
WalkResult walk_2d_with(GuestVirtAddr gva, AccessKind access, const Stage1Regime& s1, Mem& mem,
                        S2Fn&& s2, const Stage1Start& start = {}, bool tlb_masks = true) {
  WalkResult r;
  const AccessKind table_access = s1.table_access_is_write ? AccessKind::Write : AccessKind::Read;
  detail::NestedTranslator<std::remove_reference_t<S2Fn>> x{gva, access, table_access, s2,
                                                            tlb_masks};
  detail::walk_loop<S1>(r, gva.value(), access, s1, mem, x, start, s1.root, r.steps);
  return r;
}

// The plain walk: every stage-2 translation is a full stage-2 walk.
template <class S1, class S2, class Mem>
WalkResult walk_2d(GuestVirtAddr gva, AccessKind access, const Stage1Regime& s1,
                   const Stage2Regime& s2, Mem& mem) {
  auto translate = [&](GuestPhysAddr gpa, AccessKind a, bool, WalkSteps& steps) {
    const WalkResult w = walk_stage2_with<S2>(gpa, a, s2, mem, WalkStart{}, &steps);
    S2Translation t;
    t.ok = w.ok;
    t.hpa = w.hpa;
    t.shift = w.leaf_shift;
    t.permitted = w.permitted;
    t.tlb_servable = w.tlb_servable;
    if (!w.ok) t.fault = w.fault;
    return t;
  };
  return walk_2d_with<S1>(gva, access, s1, mem, translate);
}

}  // namespace nptsim
