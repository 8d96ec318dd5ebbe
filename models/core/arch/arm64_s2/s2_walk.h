// AArch64 stage-2 walk rules, 4 KiB granule, with hardware semantics (Arm ARM DDI 0487,
// D8.2 "Translation tables and the translation process" for the start level, concatenation and
// input size; D8.3 descriptor formats; D8.4.2 stage 2 access permissions S2AP/XN; D8.5 the
// Access flag; D8.12/D8.14 for fault types).
//
// Fault kinds: Translation = translation fault (invalid descriptor, a block where none is
// allowed, a level-3 entry with bit 1 clear, an IPA beyond VTCR_EL2.T0SZ); AddressSize =
// address size fault (output address beyond the PA size); AccessFlag = Access flag fault (AF=0
// without VTCR_EL2.HA); Permission = permission fault (S2AP, XN).
#pragma once

#include "models/core/arch/arm64_s2/s2_pte.h"
#include "models/core/walk/stage2_walker.h"

namespace nptsim::arm64_s2 {

struct S2WalkRules {
  // The IPA must fit the configured input size (64 - T0SZ bits), which the geometry encodes.
  static bool input_in_range(uint64_t gpa, const Stage2Regime& r) {
    const unsigned bits = r.geometry.input_bits();
    return bits >= 64 || (gpa >> bits) == 0;
  }

  static EntryInfo decode(uint64_t raw, int depth, const Stage2Regime& r) {
    const Geometry& g = r.geometry;
    if (!(raw & S2Pte::kValid)) return {EntryInfo::Fault, FaultKind::Translation, {}};
    const uint64_t out = raw & S2Pte::kAddrMask;
    const bool last = depth == g.levels - 1;
    const unsigned shift = g.level[depth].shift;
    if (raw & S2Pte::kNonBlock) {
      if (out >> r.pa_bits) return {EntryInfo::Fault, FaultKind::AddressSize, {}};
      return {last ? EntryInfo::Leaf : EntryInfo::Table, FaultKind::Translation, out};
    }
    // Bit 1 clear: a block, allowed at levels 1 (1 GiB) and 2 (2 MiB) only.
    if (last || (shift != 30 && shift != 21)) return {EntryInfo::Fault, FaultKind::Translation, {}};
    const uint64_t base = out & ~((uint64_t{1} << shift) - 1);
    if (base >> r.pa_bits) return {EntryInfo::Fault, FaultKind::AddressSize, {}};
    return {EntryInfo::Leaf, FaultKind::Translation, base};
  }

  static uint32_t path_bits(uint64_t) {
    return ~uint32_t{0};
  }  // stage-2 tables carry no permissions here

  static bool permits(uint64_t raw, uint32_t, AccessKind a, const Stage2Regime&) {
    switch (a) {
      case AccessKind::Read:
        return raw & S2Pte::kS2apRead;
      case AccessKind::Write:
        return raw & S2Pte::kS2apWrite;
      case AccessKind::Fetch:
        return !(raw & S2Pte::kXn);  // XN[1]; EL2 in AArch64 needs no read
    }
    return false;
  }

  static AdResult access_dirty(uint64_t raw, bool leaf, AccessKind, const Stage2Regime& r) {
    if (!leaf || (raw & S2Pte::kAccessFlag)) return {};
    if (r.arm_hw_access_flag)
      return {AdResult::WriteBack, raw | S2Pte::kAccessFlag, FaultKind::AccessFlag};
    return {AdResult::Fault, 0, FaultKind::AccessFlag};
  }
};

}  // namespace nptsim::arm64_s2
