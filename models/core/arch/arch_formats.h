// The architecture registry's compile-time half: which format rules (arch/<format>/) each
// architecture's stage 1 and stage 2 use. Code that wants a walk without a switch per walk
// (the translation schemes, the registry's own walk functions) instantiates itself per format
// through visit_formats; this and arch_registry.cc are the only switches over Arch.
#pragma once

#include "models/core/arch/arch_registry.h"
#include "models/core/arch/arm64_s1/s1_pte.h"
#include "models/core/arch/arm64_s2/s2_walk.h"
#include "models/core/arch/riscv_gstage/gstage_walk.h"
#include "models/core/arch/riscv_sv/sv_pte.h"
#include "models/core/arch/x86_64/x86_pte.h"
#include "models/core/arch/x86_ept/ept_walk.h"

namespace nptsim {

// A format's walk rules as a value: FormatTag<R>::Rules is R.
template <class R>
struct FormatTag {
  using Rules = R;
};

// fn(FormatTag<stage-1 rules>{}, FormatTag<stage-2 rules>{}) for `arch`; returns what fn returns.
template <class Fn>
decltype(auto) visit_formats(Arch arch, Fn&& fn) {
  switch (arch) {
    case Arch::X86_64:
      return fn(FormatTag<x86_64::X86WalkRules>{}, FormatTag<x86_ept::EptWalkRules>{});
    case Arch::AArch64:
      return fn(FormatTag<arm64_s1::S1WalkRules>{}, FormatTag<arm64_s2::S2WalkRules>{});
    case Arch::RiscV64:
      break;
  }
  return fn(FormatTag<riscv_sv::SvWalkRules>{}, FormatTag<riscv_gstage::GstageWalkRules>{});
}

}  // namespace nptsim
