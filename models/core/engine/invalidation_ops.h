// The TLB maintenance operations of each architecture, by their names in the specifications,
// and what each drops (engine/translation_scheme.h, Invalidation):
//   x86 (Intel SDM vol. 3C, "INVEPT" and "INVVPID" in the VMX instruction reference):
//     INVEPT single-context / all-context: every translation derived from the EPT (both stages);
//     INVVPID individual-address: the guest-virtual page; single-context: all of the VPID.
//   AArch64 (Arm ARM, TLB maintenance instructions):
//     TLBI VMALLS12E1IS: stage 1 and 2 of the VMID; TLBI IPAS2E1IS: stage 2 of one IPA;
//     TLBI VAE1IS: one VA at stage 1; TLBI VMALLE1IS: all stage 1 of the VMID.
//   RISC-V (privileged spec, "Hypervisor Memory-Management Fence Instructions"):
//     HFENCE.GVMA with or without gaddr: G-stage (and so combined) translations;
//     HFENCE.VVMA with or without vaddr: VS-stage translations of the VMID.
// The "IS" (inner shareable) Arm forms and the RISC-V fences issued by a hypervisor as an
// SBI remote fence reach every vCPU: a shootdown.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/core/arch/arch_registry.h"
#include "models/core/engine/translation_scheme.h"

namespace nptsim {

struct InvalidationOp {
  const char* name;  // as the specification writes it
  Arch arch;
  Invalidation::Scope scope;
  bool takes_address;  // the operand is a page address (else the whole context)
};

// Every operation, per architecture.
const std::vector<InvalidationOp>& invalidation_ops();
// The operation `name` of `arch` ("INVEPT single-context", "TLBI IPAS2E1IS", "HFENCE.GVMA"
// with `with_address` for the gaddr form), or nothing.
const InvalidationOp* find_invalidation_op(Arch arch, const std::string& name, bool with_address);

}  // namespace nptsim
