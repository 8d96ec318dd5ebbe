// RISC-V G-stage walk rules with hardware semantics (privileged spec, §9.5 "Two-Stage Address
// Translation" with §4.3.2 "Virtual Address Translation Process", applied to Sv39x4/Sv48x4;
// Svade/Svadu for A/D).
//
// Every fault is a guest-page fault (cause 20/21/23 by access); the kinds say why:
// Translation = V=0, or GPA bits above the x4 range not zero; Misconfig = a reserved encoding
// (W without R, reserved bits 63:54, A/D/U set in a non-leaf entry, a non-leaf entry at the
// last level, a misaligned superpage); Permission = U clear (G-stage accesses are user-level) or
// R/W/X missing; AccessFlag = A clear, or D clear on a write, under Svade.
#pragma once

#include "models/core/arch/riscv_gstage/gstage_pte.h"
#include "models/core/walk/stage2_walker.h"

namespace nptsim::riscv_gstage {

struct GstageWalkRules {
  static constexpr uint64_t kReservedHigh = uint64_t{0x3FF} << 54;  // N, PBMT, reserved

  static bool input_in_range(uint64_t gpa, const Stage2Regime& r) {
    const unsigned bits = r.geometry.input_bits();  // 41 (Sv39x4) or 50 (Sv48x4)
    return bits >= 64 || (gpa >> bits) == 0;
  }

  static EntryInfo decode(uint64_t raw, int depth, const Stage2Regime& r) {
    return decode_pte(raw, depth, r.geometry);
  }

  // What a PTE means at `depth` (shared by the G-stage and the VS-stage, arch/riscv_sv).
  static EntryInfo decode_pte(uint64_t raw, int depth, const Geometry& g) {
    using P = GstagePte;
    if (!(raw & P::kV)) return {EntryInfo::Fault, FaultKind::Translation, {}};
    if (((raw & P::kW) && !(raw & P::kR)) || (raw & kReservedHigh)) {
      return {EntryInfo::Fault, FaultKind::Misconfig, {}};
    }
    const uint64_t out = P::paddr(raw).value();
    if (!(raw & (P::kR | P::kX))) {  // a pointer to the next level
      if (depth == g.levels - 1 || (raw & (P::kA | P::kD | P::kU))) {
        return {EntryInfo::Fault, FaultKind::Misconfig, {}};
      }
      return {EntryInfo::Table, FaultKind::Translation, out};
    }
    const uint64_t span = uint64_t{1} << g.level[depth].shift;
    if (out & (span - 1))
      return {EntryInfo::Fault, FaultKind::Misconfig, {}};  // misaligned superpage
    return {EntryInfo::Leaf, FaultKind::Translation, out};
  }

  static uint32_t path_bits(uint64_t) { return ~uint32_t{0}; }

  static bool permits(uint64_t raw, uint32_t, AccessKind a, const Stage2Regime& r) {
    return (raw & GstagePte::kU) &&
           rwx_permits(raw, a, r.riscv_mxr);  // G-stage accesses are user-level
  }

  static AdResult access_dirty(uint64_t raw, bool leaf, AccessKind a, const Stage2Regime& r) {
    return ad_update(raw, leaf, a, r.riscv_hw_ad);
  }

  // Shared with the VS-stage (arch/riscv_sv): R/W/X by access kind, and the A/D rule of a leaf
  // (set by hardware with Svadu, a fault with Svade). MXR: execute-only pages are readable.
  static bool rwx_permits(uint64_t raw, AccessKind a, bool mxr) {
    switch (a) {
      case AccessKind::Read:
        return (raw & GstagePte::kR) || (mxr && (raw & GstagePte::kX));
      case AccessKind::Write:
        return raw & GstagePte::kW;
      case AccessKind::Fetch:
        return raw & GstagePte::kX;
    }
    return false;
  }
  static AdResult ad_update(uint64_t raw, bool leaf, AccessKind a, bool hw_ad) {
    using P = GstagePte;
    if (!leaf) return {};
    uint64_t want = raw | P::kA;
    if (a == AccessKind::Write) want |= P::kD;
    if (want == raw) return {};
    if (!hw_ad) return {AdResult::Fault, 0, FaultKind::AccessFlag};
    return {AdResult::WriteBack, want, FaultKind::AccessFlag};
  }
};

}  // namespace nptsim::riscv_gstage
