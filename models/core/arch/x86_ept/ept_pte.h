// x86 EPT entry codec, exactly as axaddrspace v0.3.0 writes it (spec §9.1; Intel SDM vol. 3C
// §29.3.2, "EPT Translation Mechanism", tables 29-1..29-6).
#pragma once

#include <cstdint>
#include <optional>

#include "models/core/common/addr.h"
#include "models/core/common/mapping_flags.h"

namespace nptsim::x86_ept {

struct EptPte {
  static constexpr const char* kName = "x86-ept";
  static constexpr uint64_t kRead = 1u << 0;
  static constexpr uint64_t kWrite = 1u << 1;
  static constexpr uint64_t kExecute = 1u << 2;
  static constexpr unsigned kMemTypeShift = 3;  // bits 5:3
  static constexpr uint64_t kMemTypeMask = 7u << kMemTypeShift;
  static constexpr uint64_t kMemTypeWB = 6;
  static constexpr uint64_t kMemTypeUC = 0;
  static constexpr uint64_t kLargePage = 1u << 7;
  static constexpr uint64_t kAccessed = 1u << 8;
  static constexpr uint64_t kDirty = 1u << 9;
  static constexpr uint64_t kAddrMask = 0x000F'FFFF'FFFF'F000;  // bits 51:12

  // Flag part of a leaf: nothing for empty flags, else R/W/X plus memory type WB (UC when
  // DEVICE); bit 7 for 2M/1G leaves. USER and UNCACHED are ignored.
  static uint64_t leaf_bits(MappingFlags f, bool huge) {
    uint64_t b = 0;
    if (!f.empty()) {
      if (f.has(MappingFlags::READ)) b |= kRead;
      if (f.has(MappingFlags::WRITE)) b |= kWrite;
      if (f.has(MappingFlags::EXECUTE)) b |= kExecute;
      b |= (f.has(MappingFlags::DEVICE) ? kMemTypeUC : kMemTypeWB) << kMemTypeShift;
    }
    if (huge) b |= kLargePage;
    return b;
  }
  static uint64_t new_table(HostPhysAddr pa) {
    return (pa.value() & kAddrMask) | kRead | kWrite | kExecute;
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
  static bool is_present(uint64_t raw) { return (raw & (kRead | kWrite | kExecute)) != 0; }
  static bool is_huge(uint64_t raw) { return (raw & kLargePage) != 0; }
  // The crate's reverse mapping: R/W/X from bits 0-2, DEVICE iff the memory type is UC.
  static std::optional<MappingFlags> flags(uint64_t raw) {
    uint32_t f = 0;
    if (raw & kRead) f |= MappingFlags::READ;
    if (raw & kWrite) f |= MappingFlags::WRITE;
    if (raw & kExecute) f |= MappingFlags::EXECUTE;
    if (((raw & kMemTypeMask) >> kMemTypeShift) == kMemTypeUC) f |= MappingFlags::DEVICE;
    return MappingFlags(f);
  }
};

}  // namespace nptsim::x86_ept
