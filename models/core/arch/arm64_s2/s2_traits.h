// AArch64 stage-2 geometry, 4 KiB granule (spec §9.2; Arm ARM DDI 0487 D8.2.7, "Translation
// using the 4KB granule", and D8.2.3 for concatenated translation tables at the start level).
// The crate: 3 levels (start level 1, GPA bits 38:12) or 4 levels (start level 0, bits 47:12),
// always one 4 KiB root. Hardware: a given IPA size (VTCR_EL2.T0SZ = 64 - ipa_bits); at start
// level 1 up to 16 concatenated root tables (IPA up to 43 bits), at start level 0 up to 48 bits.
// 1 GiB blocks at level 1, 2 MiB blocks at level 2.
#pragma once

#include <optional>

#include "models/core/arch/arm64_s2/s2_pte.h"
#include "models/core/pt/geometry.h"

namespace nptsim::arm64_s2 {

struct S2Traits {
  using Pte = S2Pte;
  static constexpr int kDefaultLevels = 3;  // the crate's 3-level stage 2 (40-bit IPA in hardware)
  static constexpr int kDefaultGuestLevels = 3;  // a 39-bit VA guest
  // Default IPA size of the hardware geometry for 3 and 4 levels.
  static constexpr unsigned default_ipa_bits(int levels) { return levels == 3 ? 40 : 48; }

  static std::optional<Geometry> geometry(int levels, bool hardware, unsigned ipa_bits = 0) {
    if (levels != 3 && levels != 4) return std::nullopt;
    if (!hardware) return make_geometry(levels, 9, false);
    if (ipa_bits == 0) ipa_bits = default_ipa_bits(levels);
    const unsigned top_shift = 12 + 9 * (levels - 1);
    const unsigned max_root_bits = levels == 3 ? 13 : 9;
    if (ipa_bits <= top_shift || ipa_bits - top_shift > max_root_bits) return std::nullopt;
    return make_geometry(levels, ipa_bits - top_shift, false);
  }
};

}  // namespace nptsim::arm64_s2
