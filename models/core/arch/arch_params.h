// The parameters every stage-2 format declares for itself (arch/<format>/*_params.h), collected
// here like the rest of the registry: a new format adds its declare_params call.
#pragma once

#include "models/core/arch/arm64_s2/s2_params.h"
#include "models/core/arch/riscv_gstage/gstage_params.h"
#include "models/core/arch/x86_ept/ept_params.h"

namespace nptsim {

template <class Config, class RegimeOf>
void declare_stage2_params(ParamTree<Config>& t, RegimeOf regime) {
  x86_ept::declare_params(t, regime);
  arm64_s2::declare_params(t, regime);
  riscv_gstage::declare_params(t, regime);
}

}  // namespace nptsim
