// The guest's translation-control state for its own (stage-1) page tables: where the root is,
// the privilege of the accesses, and the format's switches. Fields a format does not use are
// ignored.
#pragma once

#include "models/core/common/addr.h"
#include "models/core/pt/geometry.h"

namespace nptsim {

struct Stage1Regime {
  Geometry geometry;         // x86-64 4/5-level, AArch64 39/48-bit VA, Sv39/Sv48
  GuestPhysAddr root;        // CR3 / TTBR0_EL1 / vsatp: a guest-physical address
  bool user = true;          // accesses are user-level (CPL 3, EL0, U-mode)
  bool x86_nxe = true;       // IA32_EFER.NXE: bit 63 is execute-disable (else reserved)
  bool x86_wp = true;        // CR0.WP: supervisor writes honour read-only pages
  bool arm_hw_af = false;    // TCR_EL1.HA: hardware Access flag update
  bool riscv_hw_ad = false;  // Svadu for VS-stage; else Svade (A/D clear faults)
  bool riscv_sum = false;    // vsstatus.SUM: supervisor loads/stores to U pages allowed
  bool riscv_mxr = false;    // vsstatus.MXR or sstatus.MXR: loads from execute-only pages allowed
  // Output-address width: x86 MAXPHYADDR (entry bits 51:pa_bits are reserved), AArch64
  // TCR_EL1.IPS (a larger output address is an Address size fault). 52 checks nothing.
  unsigned pa_bits = 52;
  // x86 with EPT accessed/dirty flags on (EPTP bit 6): every guest paging-structure access is a
  // write for EPT (SDM vol. 3C §29.3.5), so stage 2 translates table entries as writes.
  bool table_access_is_write = false;
};

// The sign-extension rule of x86-64 and RISC-V: bits 63..bits-1 all equal.
constexpr bool sign_extended(uint64_t va, unsigned bits) {
  const uint64_t top = va >> (bits - 1);
  return top == 0 || top == (~uint64_t{0} >> (bits - 1));
}

}  // namespace nptsim
