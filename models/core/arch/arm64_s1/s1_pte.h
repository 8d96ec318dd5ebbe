// AArch64 VMSAv8-64 stage-1 descriptors, 4 KiB granule, TTBR0 (user half) and walk rules (Arm
// ARM DDI 0487 D8.3 descriptor formats, D8.4.1 stage 1 data access permissions AP[2:1],
// D8.4.1.2 hierarchical APTable/UXNTable/PXNTable, D8.5 the Access flag). Blocks at levels 1
// and 2; a VA above the configured size (64 - T0SZ bits) is a level-0 translation fault.
#pragma once

#include "models/core/common/mapping_flags.h"
#include "models/core/walk/stage1_regime.h"
#include "models/core/walk/stage2_walker.h"

namespace nptsim::arm64_s1 {

struct S1Pte {
  static constexpr const char* kName = "arm64-s1";
  static constexpr uint64_t kValid = 1u << 0, kNonBlock = 1u << 1;
  static constexpr uint64_t kAttrNormal = 0u << 2;  // AttrIndx 0 (MAIR slot 0: normal WB)
  static constexpr uint64_t kApEl0 = 1u << 6;       // AP[1]: EL0 access
  static constexpr uint64_t kApRo = 1u << 7;        // AP[2]: read-only
  static constexpr uint64_t kShInner = 3u << 8;
  static constexpr uint64_t kAf = 1u << 10;
  static constexpr uint64_t kPxn = uint64_t{1} << 53, kUxn = uint64_t{1} << 54;
  static constexpr uint64_t kPxnTable = uint64_t{1} << 59, kUxnTable = uint64_t{1} << 60;
  static constexpr uint64_t kApTableNoEl0 = uint64_t{1} << 61, kApTableRo = uint64_t{1} << 62;
  static constexpr uint64_t kAddrMask = 0x0000'FFFF'FFFF'F000;

  static uint64_t new_table(uint64_t gpa) { return (gpa & kAddrMask) | kValid | kNonBlock; }
  static uint64_t table_address(uint64_t raw) { return raw & kAddrMask; }
  // AF clear: the first access sets it (hardware update) or faults, as the regime says. A guest
  // OS usually sets AF itself; `af` chooses.
  static uint64_t new_page(uint64_t gpa, MappingFlags f, bool huge, bool af = true) {
    uint64_t e = (gpa & kAddrMask) | kValid | kAttrNormal | kShInner;
    if (!huge) e |= kNonBlock;
    if (f.has(MappingFlags::USER)) e |= kApEl0;
    if (!f.has(MappingFlags::WRITE)) e |= kApRo;
    if (!f.has(MappingFlags::EXECUTE))
      e |= kUxn | kPxn;
    else if (f.has(MappingFlags::USER))
      e |= kPxn;  // user-executable pages are not privileged-executable
    if (af) e |= kAf;
    return e;
  }
};

struct S1WalkRules {
  static bool input_in_range(uint64_t gva, const Stage1Regime& r) {
    const unsigned bits = r.geometry.input_bits();
    return bits >= 64 || (gva >> bits) == 0;
  }

  // An output address (next table, page or block) beyond TCR_EL1.IPS is an Address size fault
  // at that level (D8.3.1, D8.14.2).
  static EntryInfo decode(uint64_t raw, int depth, const Stage1Regime& r) {
    using P = S1Pte;
    const Geometry& g = r.geometry;
    if (!(raw & P::kValid)) return {EntryInfo::Fault, FaultKind::Translation, {}};
    const bool last = depth == g.levels - 1;
    const uint64_t out = raw & P::kAddrMask;
    const unsigned shift = g.level[depth].shift;
    const bool block = !(raw & P::kNonBlock);
    if (block && (last || (shift != 30 && shift != 21)))
      return {EntryInfo::Fault, FaultKind::Translation, {}};
    if (r.pa_bits < 52 && (out >> r.pa_bits)) return {EntryInfo::Fault, FaultKind::AddressSize, {}};
    if (!block) return {last ? EntryInfo::Leaf : EntryInfo::Table, FaultKind::Translation, out};
    return {EntryInfo::Leaf, FaultKind::Translation, out & ~((uint64_t{1} << shift) - 1)};
  }

  // Bits allowed at every table level: 1 EL0 access, 2 write, 4 EL0 execute, 8 EL1 execute.
  static uint32_t path_bits(uint64_t raw) {
    using P = S1Pte;
    if (!(raw & P::kNonBlock)) return ~uint32_t{0};
    uint32_t b = 0;
    if (!(raw & P::kApTableNoEl0)) b |= 1;
    if (!(raw & P::kApTableRo)) b |= 2;
    if (!(raw & P::kUxnTable)) b |= 4;
    if (!(raw & P::kPxnTable)) b |= 8;
    return b | ~uint32_t{15};
  }

  static bool permits(uint64_t raw, uint32_t path, AccessKind a, const Stage1Regime& r) {
    using P = S1Pte;
    // The leaf itself carries no table attributes: only the path above it (tables) limits.
    const bool el0 = (raw & P::kApEl0) && (path & 1);
    const bool writable = !(raw & P::kApRo) && (path & 2);
    if (r.user && !el0) return false;
    switch (a) {
      case AccessKind::Read:
        return true;
      case AccessKind::Write:
        return writable;
      case AccessKind::Fetch:
        if (r.user) return !(raw & P::kUxn) && (path & 4);
        // Memory writable at EL0 is never executable at EL1 (D8.4.1.3).
        return !(raw & P::kPxn) && (path & 8) && !((raw & P::kApEl0) && !(raw & P::kApRo));
    }
    return false;
  }

  static AdResult access_dirty(uint64_t raw, bool leaf, AccessKind, const Stage1Regime& r) {
    if (!leaf || (raw & S1Pte::kAf)) return {};
    if (r.arm_hw_af) return {AdResult::WriteBack, raw | S1Pte::kAf, FaultKind::AccessFlag};
    return {AdResult::Fault, 0, FaultKind::AccessFlag};
  }
};

}  // namespace nptsim::arm64_s1
