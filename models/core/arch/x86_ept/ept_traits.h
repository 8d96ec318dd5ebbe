// x86 EPT geometry (spec §9.1; Intel SDM vol. 3C §29.3.2): 512-entry tables, 4 KiB root,
// 4 levels (PML4 -> PDPT -> PD -> PT) or, beyond the crate, 5 levels (PML5, 57-bit GPAs).
// 2 MiB leaves in the PD, 1 GiB leaves in the PDPT.
#pragma once

#include <optional>

#include "models/core/arch/x86_ept/ept_pte.h"
#include "models/core/pt/geometry.h"

namespace nptsim::x86_ept {

struct EptTraits {
  using Pte = EptPte;
  static constexpr int kDefaultLevels = 4;       // 4-level EPT (the crate's and axvm's)
  static constexpr int kDefaultGuestLevels = 4;  // 4-level x86-64 paging
  // The crate accepts 4 levels only; `hardware` also allows 5-level EPT.
  static std::optional<Geometry> geometry(int levels, bool hardware) {
    if (levels == 4 || (hardware && levels == 5)) return make_geometry(levels, 9, false);
    return std::nullopt;
  }
};

}  // namespace nptsim::x86_ept
