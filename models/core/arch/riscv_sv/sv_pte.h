// RISC-V Sv39/Sv48 entries and walk rules for the guest's VS-stage tables (privileged spec
// §4.3-4.4, with §9.5 for VS-stage in a virtual machine): the same PTE layout as the G-stage
// (arch/riscv_gstage), with the U bit checked against the access privilege (SUM for supervisor
// loads and stores to U pages), and Svade/Svadu for A/D.
#pragma once

#include "models/core/arch/riscv_gstage/gstage_pte.h"
#include "models/core/arch/riscv_gstage/gstage_walk.h"
#include "models/core/walk/stage1_regime.h"
#include "models/core/walk/stage2_walker.h"

namespace nptsim::riscv_sv {

using SvPte = riscv_gstage::GstagePte;

struct SvWalkRules {
  static bool input_in_range(uint64_t gva, const Stage1Regime& r) {
    return sign_extended(gva, r.geometry.input_bits());
  }

  // The same encoding rules as the G-stage.
  static EntryInfo decode(uint64_t raw, int depth, const Stage1Regime& r) {
    return riscv_gstage::GstageWalkRules::decode_pte(raw, depth, r.geometry);
  }

  static uint32_t path_bits(uint64_t) { return ~uint32_t{0}; }

  static bool permits(uint64_t raw, uint32_t, AccessKind a, const Stage1Regime& r) {
    using P = SvPte;
    const bool u = raw & P::kU;
    if (r.user && !u) return false;
    if (!r.user && u && (a == AccessKind::Fetch || !r.riscv_sum)) return false;
    switch (a) {
      case AccessKind::Read: return raw & P::kR;
      case AccessKind::Write: return raw & P::kW;
      case AccessKind::Fetch: return raw & P::kX;
    }
    return false;
  }

  static AdResult access_dirty(uint64_t raw, bool leaf, AccessKind a, const Stage1Regime& r) {
    using P = SvPte;
    if (!leaf) return {};
    uint64_t want = raw | P::kA;
    if (a == AccessKind::Write) want |= P::kD;
    if (want == raw) return {};
    if (!r.riscv_hw_ad) return {AdResult::Fault, 0, FaultKind::AccessFlag};
    return {AdResult::WriteBack, want, FaultKind::AccessFlag};
  }
};

}  // namespace nptsim::riscv_sv
