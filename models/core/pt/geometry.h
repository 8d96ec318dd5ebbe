// Per-level geometry of a radix page table (DESIGN.md convention 2): each level is plain data,
// so a 16 KiB RISC-V x4 root (11 index bits) or concatenated AArch64 start-level tables are just
// a wider root level.
#pragma once

#include <array>
#include <cstdint>

#include "models/core/common/addr.h"
#include "models/core/common/page_size.h"

namespace nptsim {

constexpr int kMaxLevels = 5;

struct LevelGeometry {
  uint8_t shift = 12;         // each entry of this level covers 2^shift bytes
  uint8_t index_bits = 9;     // the level indexes GPA bits [shift + index_bits - 1 : shift]
  bool leaf_allowed = false;  // the architecture allows a leaf (page or block) here
};

// Level 0 is the root; level `levels - 1` is the 4 KiB leaf level (shift 12).
struct Geometry {
  std::array<LevelGeometry, kMaxLevels> level{};
  int levels = 0;

  uint64_t index(int lvl, uint64_t gpa) const {
    const LevelGeometry& g = level[lvl];
    return (gpa >> g.shift) & ((uint64_t{1} << g.index_bits) - 1);
  }
  // Bytes of the root table; one or more whole 4 KiB frames (a smaller root still takes a frame).
  uint64_t root_bytes() const {
    uint64_t b = uint64_t{8} << level[0].index_bits;
    return b < 0x1000 ? 0x1000 : b;
  }
  uint64_t root_frames() const { return root_bytes() / 0x1000; }
  // Number of GPA bits the table translates (above them, GPAs alias in the crate's walker).
  unsigned input_bits() const { return level[0].shift + level[0].index_bits; }
};

// A conventional geometry: `levels` levels of 9 index bits over 4 KiB pages, except a root of
// `root_index_bits`; leaves allowed where the entry size is 4 KiB, 2 MiB or 1 GiB, plus at every
// level when `leaf_at_every_level` (RISC-V allows superpages at any level).
constexpr Geometry make_geometry(int levels, unsigned root_index_bits, bool leaf_at_every_level) {
  Geometry g{};
  g.levels = levels;
  for (int i = 0; i < levels; ++i) {
    auto shift = static_cast<uint8_t>(12 + 9 * (levels - 1 - i));
    g.level[i].shift = shift;
    g.level[i].index_bits = static_cast<uint8_t>(i == 0 ? root_index_bits : 9);
    g.level[i].leaf_allowed = leaf_at_every_level || shift == 12 || shift == 21 || shift == 30;
  }
  return g;
}

}  // namespace nptsim
