// RISC-V G-stage geometry (spec §9.3; privileged spec §9.5.1, "Guest Physical Address
// Translation"). The crate: Sv39/Sv48-shaped, a single 4 KiB, 512-entry root indexed by GPA bits
// 38:30 / 47:39. Hardware (Sv39x4 / Sv48x4): a 16 KiB, 16 KiB-aligned, 2048-entry root indexed by
// GPA bits 40:30 / 49:39. Leaves (superpages) are allowed at every level.
#pragma once

#include <optional>

#include "models/core/arch/riscv_gstage/gstage_pte.h"
#include "models/core/pt/geometry.h"

namespace nptsim::riscv_gstage {

struct GstageTraits {
  using Pte = GstagePte;
  static constexpr int kDefaultLevels = 3;       // Sv39x4, the crate's default
  static constexpr int kDefaultGuestLevels = 3;  // Sv39
  static std::optional<Geometry> geometry(int levels, bool hardware) {
    if (levels != 3 && levels != 4) return std::nullopt;
    return make_geometry(levels, hardware ? 11 : 9, true);
  }
};

}  // namespace nptsim::riscv_gstage
