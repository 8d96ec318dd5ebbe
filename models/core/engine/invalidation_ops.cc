#include "models/core/engine/invalidation_ops.h"

namespace nptsim {

const std::vector<InvalidationOp>& invalidation_ops() {
  using S = Invalidation;
  static const std::vector<InvalidationOp> kOps = {
      {"INVEPT single-context", Arch::X86_64, S::All, false},
      {"INVEPT all-context", Arch::X86_64, S::All, false},
      {"INVVPID individual-address", Arch::X86_64, S::Stage1Address, true},
      {"INVVPID single-context", Arch::X86_64, S::Stage1All, false},
      {"TLBI VMALLS12E1IS", Arch::AArch64, S::All, false},
      {"TLBI IPAS2E1IS", Arch::AArch64, S::Stage2Address, true},
      {"TLBI VAE1IS", Arch::AArch64, S::Stage1Address, true},
      {"TLBI VMALLE1IS", Arch::AArch64, S::Stage1All, false},
      {"HFENCE.GVMA", Arch::RiscV64, S::Stage2Address, true},
      {"HFENCE.GVMA", Arch::RiscV64, S::All, false},
      {"HFENCE.VVMA", Arch::RiscV64, S::Stage1Address, true},
      {"HFENCE.VVMA", Arch::RiscV64, S::Stage1All, false},
  };
  return kOps;
}

const InvalidationOp* find_invalidation_op(Arch arch, const std::string& name, bool with_address) {
  for (const InvalidationOp& op : invalidation_ops()) {
    if (op.arch == arch && name == op.name && op.takes_address == with_address) return &op;
  }
  return nullptr;
}

}  // namespace nptsim
