// The hardware stage-2 walk, shared by every format: the walk loop (walk/walk_loop.h) over
// host-physical tables. Faults are stage-2 faults of the walked GPA; the result is the HPA.
#pragma once

#include "models/core/walk/walk_loop.h"

namespace nptsim {

namespace detail {
// Stage 2's tables are host-physical: an entry's address is where it is, always writable.
struct Stage2Translator {
  using Addr = HostPhysAddr;
  static constexpr Stage kStage = Stage::Stage2;
  static constexpr FaultKind kOutOfRange = FaultKind::Translation;
  GuestPhysAddr gpa;
  bool masks = true;

  std::optional<EntryRef> entry(HostPhysAddr pte, int, WalkResult&) const {
    return EntryRef{pte, true};
  }
  void own_fault(WalkResult& r, FaultKind kind, int depth) const {
    r.ok = false;
    r.fault =
        Fault{Stage::Stage2, kind, static_cast<int8_t>(depth), gpa, GuestVirtAddr(), false, 0};
  }
  void write_denied(WalkResult&, HostPhysAddr, int) const {}  // never: entry() says writable
  void leaf(WalkResult& r, uint64_t out_base, unsigned shift, int) const {
    page_size_for_shift(shift, &r.size);
    r.leaf_shift = static_cast<uint8_t>(shift);
    r.ok = true;
    r.hpa = HostPhysAddr(out_base + (gpa.value() & ((uint64_t{1} << shift) - 1)));
  }
};
}  // namespace detail

// The steps go to r.steps, or when `sink` is given, are appended to *sink instead (a
// two-dimensional walk collects every stage's steps in one list without copying). Without
// `tlb_masks` the result's permitted mask holds only the write permission and tlb_servable is
// empty (for a translation no TLB will hold).
template <class Rules, class Mem>
WalkResult walk_stage2_with(GuestPhysAddr gpa, AccessKind access, const Stage2Regime& regime,
                            Mem& mem, const WalkStart& start = {}, WalkSteps* sink = nullptr,
                            bool tlb_masks = true) {
  WalkResult r;
  detail::Stage2Translator x{gpa, tlb_masks};
  detail::walk_loop<Rules>(r, gpa.value(), access, regime, mem, x, start, regime.root,
                           sink ? *sink : r.steps);
  return r;
}

}  // namespace nptsim
