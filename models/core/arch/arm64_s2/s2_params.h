// AArch64 stage 2's parameters: the VTCR_EL2 controls a hypervisor chooses, bound to the
// Stage2Regime the walker reads (`regime` gives it within a configuration).
#pragma once

#include "models/core/params/param_builders.h"
#include "models/core/walk/regime.h"

namespace nptsim::arm64_s2 {

template <class Config, class RegimeOf>
void declare_params(ParamTree<Config>& t, RegimeOf regime) {
  t.add(bool_param<Config>(
      {"ad.arm_ha", "", "AArch64: hardware Access flag update at stage 2 (VTCR_EL2.HA)",
       "off: arm_vcpu does not set VTCR_EL2.HA"},
      [regime](Config& c) -> bool& { return regime(c).arm_hw_access_flag; }));
}

}  // namespace nptsim::arm64_s2
