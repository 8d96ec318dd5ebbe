// RISC-V G-stage (hgatp) PTE codec, exactly as axaddrspace v0.3.0 writes it (spec §9.3; RISC-V
// privileged spec, §4.4.1 "Addressing and Memory Protection" for the PTE bits and §9.5
// "Two-Stage Address Translation" of the H extension).
#pragma once

#include <cstdint>
#include <optional>

#include "models/core/common/addr.h"
#include "models/core/common/mapping_flags.h"

namespace nptsim::riscv_gstage {

struct GstagePte {
  static constexpr const char* kName = "riscv-gstage";
  static constexpr uint64_t kV = 1u << 0;
  static constexpr uint64_t kR = 1u << 1;
  static constexpr uint64_t kW = 1u << 2;
  static constexpr uint64_t kX = 1u << 3;
  static constexpr uint64_t kU = 1u << 4;
  static constexpr uint64_t kG = 1u << 5;
  static constexpr uint64_t kA = 1u << 6;
  static constexpr uint64_t kD = 1u << 7;
  static constexpr uint64_t kPpnMask = 0x003F'FFFF'FFFF'FC00;  // bits 53:10 = HPA >> 2

  // Flag part of a leaf: nothing for empty flags, else V|A|D plus R/W/X/U.
  // DEVICE and UNCACHED are ignored.
  static uint64_t leaf_bits(MappingFlags f) {
    if (f.empty()) return 0;
    uint64_t b = kV | kA | kD;
    if (f.has(MappingFlags::READ)) b |= kR;
    if (f.has(MappingFlags::WRITE)) b |= kW;
    if (f.has(MappingFlags::EXECUTE)) b |= kX;
    if (f.has(MappingFlags::USER)) b |= kU;
    return b;
  }
  static uint64_t ppn_field(HostPhysAddr pa) { return (pa.value() >> 2) & kPpnMask; }
  static uint64_t new_table(HostPhysAddr pa) { return ppn_field(pa) | kV; }
  static uint64_t new_page(HostPhysAddr pa, MappingFlags f, bool /*huge*/) {
    return ppn_field(pa) | leaf_bits(f);
  }
  static uint64_t set_paddr(uint64_t raw, HostPhysAddr pa) {
    return (raw & ~kPpnMask) | ppn_field(pa);
  }
  static uint64_t set_flags(uint64_t raw, MappingFlags f, bool /*huge*/) {
    return (raw & kPpnMask) | leaf_bits(f);
  }
  static HostPhysAddr paddr(uint64_t raw) {
    return HostPhysAddr(((raw >> 10) & ((uint64_t{1} << 44) - 1)) << 12);
  }
  static bool is_unused(uint64_t raw) { return raw == 0; }
  static bool is_present(uint64_t raw) { return (raw & kV) != 0; }
  static bool is_huge(uint64_t raw) { return (raw & (kR | kX)) != 0; }
  static std::optional<MappingFlags> flags(uint64_t raw) {
    if (!(raw & kV)) return MappingFlags();
    uint32_t f = 0;
    if (raw & kR) f |= MappingFlags::READ;
    if (raw & kW) f |= MappingFlags::WRITE;
    if (raw & kX) f |= MappingFlags::EXECUTE;
    if (raw & kU) f |= MappingFlags::USER;
    return MappingFlags(f);
  }
};

}  // namespace nptsim::riscv_gstage
