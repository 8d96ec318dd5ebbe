// AArch64 VMSAv8-64 stage-2 descriptor codec, 4 KiB granule, exactly as axaddrspace v0.3.0
// writes it (spec §9.2; Arm ARM DDI 0487 D8.3 "Translation table descriptor formats" and
// D8.5.5 "Stage 2 memory type and Cacheability attributes").
#pragma once

#include <cstdint>
#include <optional>

#include "models/core/common/addr.h"
#include "models/core/common/mapping_flags.h"

namespace nptsim::arm64_s2 {

struct S2Pte {
  static constexpr const char* kName = "arm64-s2";
  static constexpr uint64_t kValid = 1u << 0;
  static constexpr uint64_t kNonBlock = 1u << 1;  // table or page descriptor (clear: block)
  static constexpr unsigned kMemAttrShift = 2;    // bits 5:2
  static constexpr uint64_t kMemAttrMask = 0xFu << kMemAttrShift;
  static constexpr uint64_t kS2apRead = 1u << 6;   // S2AP[0]
  static constexpr uint64_t kS2apWrite = 1u << 7;  // S2AP[1]
  static constexpr uint64_t kShOuter = 2u << 8;    // SH = 0b10, outer shareable
  static constexpr uint64_t kAccessFlag = 1u << 10;
  static constexpr uint64_t kXn = uint64_t{1} << 54;
  static constexpr uint64_t kAddrMask = 0x0000'FFFF'FFFF'F000;  // bits 47:12

  static constexpr uint64_t kMemAttrDevice_nGnRnE = 0b0000;
  static constexpr uint64_t kMemAttrNormalNC_WB = 0b0111;  // outer non-cacheable, inner WB
  static constexpr uint64_t kMemAttrNormalWB = 0b1111;     // outer WB, inner WB
  static constexpr uint64_t kMemAttrAcceptedNC = 0b0100;   // accepted by the crate's decoder

  // Attribute part of a leaf: MemAttr+SH by memory type, VALID+S2AP[0] for READ, S2AP[1] for
  // WRITE, AF always, bit 1 for 4 KiB pages. EXECUTE is ignored (XN never set), so a leaf without
  // READ is invalid. Empty flags give the lazy placeholder 0x63E.
  static uint64_t leaf_bits(MappingFlags f, bool huge) {
    uint64_t memattr = kMemAttrNormalWB;
    if (f.has(MappingFlags::DEVICE)) {
      memattr = f.has(MappingFlags::UNCACHED) ? kMemAttrNormalNC_WB : kMemAttrDevice_nGnRnE;
    }
    uint64_t b = (memattr << kMemAttrShift) | kShOuter | kAccessFlag;
    if (f.has(MappingFlags::READ)) b |= kValid | kS2apRead;
    if (f.has(MappingFlags::WRITE)) b |= kS2apWrite;
    if (!huge) b |= kNonBlock;
    return b;
  }
  static uint64_t new_table(HostPhysAddr pa) {
    return (pa.value() & kAddrMask) | kValid | kNonBlock;
  }
  static uint64_t new_page(HostPhysAddr pa, MappingFlags f, bool huge) {
    return (pa.value() & kAddrMask) | leaf_bits(f, huge);
  }
  static uint64_t set_paddr(uint64_t raw, HostPhysAddr pa) {
    return (raw & ~kAddrMask) | (pa.value() & kAddrMask);
  }
  static uint64_t set_flags(uint64_t raw, MappingFlags f, bool huge) {
    return (raw & kAddrMask) | leaf_bits(f, huge);
  }
  static HostPhysAddr paddr(uint64_t raw) { return HostPhysAddr(raw & kAddrMask); }
  static bool is_unused(uint64_t raw) { return raw == 0; }
  static bool is_present(uint64_t raw) { return (raw & kValid) != 0; }
  // The crate's test: bit 1 clear, so an all-zero entry counts as huge (spec §9.2).
  static bool is_huge(uint64_t raw) { return (raw & kNonBlock) == 0; }
  // The crate's (inverted) reverse mapping: WRITE iff S2AP[1] is clear. Nothing when MemAttr is
  // not one the crate's decoder accepts (0b1111, 0b0100, 0b0000): the crate panics there.
  static std::optional<MappingFlags> flags(uint64_t raw) {
    uint64_t memattr = (raw & kMemAttrMask) >> kMemAttrShift;
    if (memattr != kMemAttrNormalWB && memattr != kMemAttrAcceptedNC &&
        memattr != kMemAttrDevice_nGnRnE) {
      return std::nullopt;
    }
    uint32_t f = 0;
    if (raw & kValid) f |= MappingFlags::READ;
    if (!(raw & kS2apWrite)) f |= MappingFlags::WRITE;
    if (!(raw & kXn)) f |= MappingFlags::EXECUTE;
    if (memattr == kMemAttrDevice_nGnRnE) f |= MappingFlags::DEVICE;
    return MappingFlags(f);
  }
};

}  // namespace nptsim::arm64_s2
