// The translation-control state a stage-2 walk depends on, for every format (the fields a format
// does not use are ignored). Filled from the simulated hypervisor's configuration (or an
// oracle image's regime.json).
#pragma once

#include "models/core/common/addr.h"
#include "models/core/pt/geometry.h"

namespace nptsim {

struct Stage2Regime {
  Geometry geometry;      // the walk's shape (root index bits, levels)
  HostPhysAddr root;      // EPTP / VTTBR_EL2 / hgatp root address
  unsigned pa_bits = 48;  // physical address size (EPT reserved bits, AArch64 address-size faults)
  // x86 EPT: EPTP bit 6 enables accessed/dirty flags (set by the walker, written back).
  bool ept_ad_enabled = false;
  // x86 EPT: IA32_VMX_EPT_VPID_CAP bit 0 (execute-only translations allowed).
  bool ept_execute_only = true;
  // AArch64: VTCR_EL2.HA, hardware Access-flag update; otherwise AF=0 is an Access flag fault.
  bool arm_hw_access_flag = false;
  // RISC-V: Svadu hardware A/D update (henvcfg.ADUE); otherwise Svade: A=0 (or D=0 on a write)
  // is a guest-page fault.
  bool riscv_hw_ad = false;
  // RISC-V: mstatus.MXR (HS-level sstatus.MXR): G-stage loads from execute-only pages allowed.
  bool riscv_mxr = false;
};

}  // namespace nptsim
