// x86 EPT walk rules with hardware semantics (Intel SDM vol. 3C, §29.3.2 "EPT Translation
// Mechanism", §29.3.3 "EPT-Induced VM Exits": EPT misconfigurations and EPT violations,
// §29.3.5 "Accessed and Dirty Flags for EPT").
//
// Fault kinds: Translation = EPT violation for a not-present entry (bits 2:0 = 0);
// Permission = EPT violation for an access the path does not allow (R/W/X are ANDed over every
// entry used); Misconfig = EPT misconfiguration (write without read, execute-only without the
// capability, reserved bits, memory type 2/3/7 in a leaf).
#pragma once

#include "models/core/arch/x86_ept/ept_pte.h"
#include "models/core/walk/stage2_walker.h"

namespace nptsim::x86_ept {

struct EptWalkRules {
  static uint64_t pa_mask(const Stage2Regime& r) {
    return ((uint64_t{1} << r.pa_bits) - 1) & ~uint64_t{0xFFF};
  }

  static bool input_in_range(uint64_t, const Stage2Regime&) {
    return true;
  }  // GPA bits above the walk are not checked

  static EntryInfo decode(uint64_t raw, int depth, const Stage2Regime& r) {
    const Geometry& g = r.geometry;
    const unsigned shift = g.level[depth].shift;
    const uint64_t rwx = raw & (EptPte::kRead | EptPte::kWrite | EptPte::kExecute);
    if (rwx == 0) return {EntryInfo::Fault, FaultKind::Translation, {}};
    const bool misconfig_perm = ((raw & EptPte::kWrite) && !(raw & EptPte::kRead)) ||
                                (rwx == EptPte::kExecute && !r.ept_execute_only);
    if (misconfig_perm) return {EntryInfo::Fault, FaultKind::Misconfig, {}};
    // Reserved: address bits at or above MAXPHYADDR (bits 51:pa_bits).
    if (raw & EptPte::kAddrMask & ~((uint64_t{1} << r.pa_bits) - 1)) {
      return {EntryInfo::Fault, FaultKind::Misconfig, {}};
    }
    const bool last = depth == g.levels - 1;
    const bool large = !last && (raw & EptPte::kLargePage);
    if (last || large) {
      if (large && shift != 21 && shift != 30) {  // bit 7 is reserved in PML4E/PML5E
        return {EntryInfo::Fault, FaultKind::Misconfig, {}};
      }
      const uint64_t memtype = (raw & EptPte::kMemTypeMask) >> EptPte::kMemTypeShift;
      if (memtype == 2 || memtype == 3 || memtype == 7)
        return {EntryInfo::Fault, FaultKind::Misconfig, {}};
      const uint64_t span = uint64_t{1} << shift;
      if (raw & EptPte::kAddrMask & (span - 1)) {  // address bits below a large page are reserved
        return {EntryInfo::Fault, FaultKind::Misconfig, {}};
      }
      return {EntryInfo::Leaf, FaultKind::Translation, raw & EptPte::kAddrMask};
    }
    if (raw & 0xF8)
      return {EntryInfo::Fault, FaultKind::Misconfig, {}};  // bits 7:3 reserved in a non-leaf entry
    return {EntryInfo::Table, FaultKind::Translation, raw & EptPte::kAddrMask};
  }

  static uint32_t path_bits(uint64_t raw) { return static_cast<uint32_t>(raw & 7); }

  static bool permits(uint64_t, uint32_t path, AccessKind a, const Stage2Regime&) {
    switch (a) {
      case AccessKind::Read:
        return path & EptPte::kRead;
      case AccessKind::Write:
        return path & EptPte::kWrite;
      case AccessKind::Fetch:
        return path & EptPte::kExecute;
    }
    return false;
  }

  // With A/D enabled (EPTP bit 6): the accessed flag in every entry used, the dirty flag in the
  // leaf of a write.
  static AdResult access_dirty(uint64_t raw, bool leaf, AccessKind a, const Stage2Regime& r) {
    if (!r.ept_ad_enabled) return {};
    uint64_t want = raw | EptPte::kAccessed;
    if (leaf && a == AccessKind::Write) want |= EptPte::kDirty;
    if (want == raw) return {};
    return {AdResult::WriteBack, want, FaultKind::AccessFlag};
  }
};

}  // namespace nptsim::x86_ept
