// x86-64 (IA-32e) 4-level and 5-level (LA57) paging entries and walk rules for guest stage-1
// tables (Intel SDM vol. 3A §4.5 "4-Level Paging and 5-Level Paging", §4.6 access rights,
// §4.8 accessed and dirty flags). Permissions AND over the path (R/W, U/S) and execute-disable
// ORs; A is set in every entry used and D in the leaf of a write, by hardware.
#pragma once

#include "models/core/common/mapping_flags.h"
#include "models/core/walk/stage1_regime.h"
#include "models/core/walk/stage2_walker.h"

namespace nptsim::x86_64 {

struct X86Pte {
  static constexpr const char* kName = "x86-64";
  static constexpr uint64_t kP = 1u << 0, kRW = 1u << 1, kUS = 1u << 2, kA = 1u << 5, kD = 1u << 6,
                            kPS = 1u << 7, kNX = uint64_t{1} << 63;
  static constexpr uint64_t kAddrMask = 0x000F'FFFF'FFFF'F000;

  static uint64_t new_table(uint64_t gpa) { return (gpa & kAddrMask) | kP | kRW | kUS; }
  static uint64_t table_address(uint64_t raw) { return raw & kAddrMask; }
  // A guest OS leaves A and D clear; the walker sets them.
  static uint64_t new_page(uint64_t gpa, MappingFlags f, bool huge) {
    uint64_t e = (gpa & kAddrMask) | kP;
    if (f.has(MappingFlags::WRITE)) e |= kRW;
    if (f.has(MappingFlags::USER)) e |= kUS;
    if (!f.has(MappingFlags::EXECUTE)) e |= kNX;
    if (huge) e |= kPS;
    return e;
  }
};

struct X86WalkRules {
  static bool input_in_range(uint64_t gva, const Stage1Regime& r) {
    return sign_extended(gva, r.geometry.input_bits());
  }

  // Reserved bits (SDM vol. 3A §4.5.4, tables 4-15..4-20) make a present entry a #PF with
  // RSVD set (FaultKind::Misconfig): address bits 51:MAXPHYADDR, XD without IA32_EFER.NXE, PS in
  // a PML5E/PML4E, and bits 29:13 (1 GiB) or 20:13 (2 MiB) of a large page's address.
  static EntryInfo decode(uint64_t raw, int depth, const Stage1Regime& r) {
    using P = X86Pte;
    const Geometry& g = r.geometry;
    if (!(raw & P::kP)) return {EntryInfo::Fault, FaultKind::Translation, {}};
    if ((raw & P::kNX) && !r.x86_nxe) return {EntryInfo::Fault, FaultKind::Misconfig, {}};
    if (r.pa_bits < 52 && (raw & P::kAddrMask) >> r.pa_bits)
      return {EntryInfo::Fault, FaultKind::Misconfig, {}};
    const unsigned shift = g.level[depth].shift;
    const bool last = depth == g.levels - 1;
    const uint64_t out = raw & P::kAddrMask;
    if (!last && (raw & P::kPS)) {
      if (shift != 30 && shift != 21)
        return {EntryInfo::Fault, FaultKind::Misconfig, {}};  // PS reserved in PML4E/PML5E
      const uint64_t span = uint64_t{1} << shift;
      if (out & (span - 1) & ~uint64_t{0x1000})
        return {EntryInfo::Fault, FaultKind::Misconfig, {}};  // bit 12 is PAT
      return {EntryInfo::Leaf, FaultKind::Translation, out & ~(span - 1)};
    }
    return {last ? EntryInfo::Leaf : EntryInfo::Table, FaultKind::Translation, out};
  }

  // RW and US must be set at every level; bit 3 = "executable at every level" (no NX).
  static uint32_t path_bits(uint64_t raw) {
    return static_cast<uint32_t>(raw & (X86Pte::kRW | X86Pte::kUS)) |
           ((raw & X86Pte::kNX) ? 0u : 8u);
  }

  static bool permits(uint64_t, uint32_t path, AccessKind a, const Stage1Regime& r) {
    const bool user_page = path & X86Pte::kUS;
    const bool writable = path & X86Pte::kRW;
    const bool exec = (path & 8u) || !r.x86_nxe;
    if (r.user && !user_page) return false;
    switch (a) {
      case AccessKind::Read:
        return true;
      case AccessKind::Write:
        return writable || (!r.user && !r.x86_wp);
      case AccessKind::Fetch:
        return exec;
    }
    return false;
  }

  static AdResult access_dirty(uint64_t raw, bool leaf, AccessKind a, const Stage1Regime&) {
    uint64_t want = raw | X86Pte::kA;
    if (leaf && a == AccessKind::Write) want |= X86Pte::kD;
    if (want == raw) return {};
    return {AdResult::WriteBack, want, FaultKind::AccessFlag};
  }
};

}  // namespace nptsim::x86_64
