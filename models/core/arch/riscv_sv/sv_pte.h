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
    const bool u = raw & SvPte::kU;
    if (r.user && !u) return false;
    if (!r.user && u && (a == AccessKind::Fetch || !r.riscv_sum)) return false;
    return riscv_gstage::GstageWalkRules::rwx_permits(raw, a, r.riscv_mxr);
  }

  static AdResult access_dirty(uint64_t raw, bool leaf, AccessKind a, const Stage1Regime& r) {
    return riscv_gstage::GstageWalkRules::ad_update(raw, leaf, a, r.riscv_hw_ad);
  }
};

}  // namespace nptsim::riscv_sv
